/** Entry of the `deckhand` command line; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  console.log(`deckhand: ${argv.join(' ')}`);
  return 0;
}
