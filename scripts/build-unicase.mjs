console.log("unicase build placeholder")
