/* global window, document, HTMLElement, Audio, speechSynthesis, SpeechSynthesisUtterance */
// The card frame: shows one side of a card (the notetype's HTML, CSS and scripts) inside
// <iframe sandbox="allow-scripts"> with its own CSP (no network access besides our own files, an
// opaque origin, no bridge to the app). The review screen talks to it over a MessagePort it
// hands over once, in reply to our 'ready' — a page the frame might be navigated to never gets it.
//   port in:  {type: 'show', html, css, bodyClass, mediaBase, av: {q: [...], a: [...]}, side, autoplay}
//             {type: 'replay'}
//   port out: {type: 'shown'}, {type: 'key', key, code, ctrlKey, altKey, metaKey, shiftKey}
'use strict';
(function () {
  var port = null;
  var av = { q: [], a: [] };
  var side = 'q';
  var playing = null;
  // whether the page may be scrolled (tracked, so showing a question needs no forced layout)
  var scrolled = false;
  window.addEventListener('scroll', function () {
    scrolled = true;
  }, { passive: true });

  function send(msg) {
    if (port) port.postMessage(msg);
  }

  function setBase(href) {
    var base = document.querySelector('base');
    if (!base) {
      base = document.createElement('base');
      document.head.insertBefore(base, document.head.firstChild);
    }
    if (base.getAttribute('href') !== href) base.setAttribute('href', href);
  }

  // innerHTML does not run scripts: re-create them in order, waiting for external ones (as Anki's reviewer does).
  function runScripts(root) {
    var scripts = Array.prototype.slice.call(root.querySelectorAll('script'));
    var i = 0;
    function next() {
      if (i >= scripts.length) return;
      var old = scripts[i++];
      var s = document.createElement('script');
      for (var j = 0; j < old.attributes.length; j++) s.setAttribute(old.attributes[j].name, old.attributes[j].value);
      s.text = old.text;
      if (old.src) {
        s.onload = s.onerror = next;
        old.replaceWith(s);
      } else {
        old.replaceWith(s);
        next();
      }
    }
    next();
  }

  function stopAudio() {
    if (playing) {
      playing.onended = null;
      playing.pause();
      playing = null;
    }
    try {
      speechSynthesis.cancel();
    } catch {
      /* no speech synthesis here */
    }
  }

  // Plays items one after another (autoplay / replay of a side).
  function playList(items) {
    stopAudio();
    var i = 0;
    function next() {
      if (i >= items.length) return;
      var item = items[i++];
      if (item.kind === 'sound') {
        var a = new Audio(item.url);
        playing = a;
        a.onended = next;
        a.onerror = next;
        var p = a.play();
        if (p && p.catch) p.catch(next);
      } else if (item.kind === 'tts') {
        try {
          var u = new SpeechSynthesisUtterance(item.text);
          if (item.lang) u.lang = item.lang.replace('_', '-');
          u.onend = next;
          speechSynthesis.speak(u);
        } catch {
          next();
        }
      }
    }
    next();
  }

  // Anki's reviewer defines pycmd(); card templates and play buttons call it.
  window.pycmd = function (cmd) {
    var m = /^play:([qa]):(\d+)$/.exec(String(cmd));
    if (m) {
      var item = av[m[1]][Number(m[2])];
      if (item) playList([item]);
    }
    return false;
  };

  function show(m) {
    stopAudio();
    av = { q: (m.av && m.av.q) || [], a: (m.av && m.av.a) || [] };
    side = m.side === 'answer' ? 'a' : 'q';
    setBase(String(m.mediaBase || '/'));
    // the same note type's CSS is not parsed again
    var style = document.getElementById('deckhand-card-style');
    var css = String(m.css || '');
    if (style.textContent !== css) style.textContent = css;
    var cls = String(m.bodyClass || 'card');
    if (document.body.className !== cls) document.body.className = cls;
    var qa = document.getElementById('qa');
    qa.innerHTML = String(m.html || '');
    runScripts(qa);
    if (side === 'a') {
      var hr = document.getElementById('answer');
      if (hr && hr.scrollIntoView) hr.scrollIntoView();
    } else if (scrolled) {
      window.scrollTo(0, 0);
      scrolled = false;
    }
    if (m.autoplay) playList(av[side]);
    send({ type: 'shown' });
  }

  function onPortMessage(e) {
    var m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'show') show(m);
    else if (m.type === 'replay') playList(av[side]);
  }

  window.addEventListener('message', function (e) {
    // Only the review screen (our parent) hands over the port, once.
    if (port || e.source !== window.parent || !e.data || e.data.type !== 'connect' || !e.ports || !e.ports[0]) return;
    port = e.ports[0];
    port.onmessage = onPortMessage;
  });

  // Review keys pressed while the card has focus go to the review screen (not while typing).
  window.addEventListener('keydown', function (e) {
    var t = e.target;
    if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    send({ type: 'key', key: e.key, code: e.code, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, shiftKey: e.shiftKey });
    if (e.key === ' ' || e.key === 'Enter') e.preventDefault();
  });

  window.parent.postMessage({ type: 'ready' }, '*');
})();
