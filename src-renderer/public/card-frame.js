/* global window, document, HTMLElement */
// The card frame: shows one side of a card (the notetype's HTML, CSS and scripts) inside
// <iframe sandbox="allow-scripts"> with its own CSP (no network access besides our media, an
// opaque origin, no bridge). It talks to the review screen by postMessage only:
//   in:  {type: 'show', html, css, bodyClass, mediaBase}   → render it, run its scripts
//        {type: 'replay'}                                   → play the side's audio again
//   out: {type: 'ready'}, {type: 'shown'}, {type: 'key', key, code, ctrlKey, altKey, metaKey, shiftKey}
'use strict';
(function () {
  var parentWindow = window.parent;
  function post(msg) {
    parentWindow.postMessage(msg, '*');
  }

  function setBase(href) {
    var base = document.querySelector('base');
    if (!base) {
      base = document.createElement('base');
      document.head.insertBefore(base, document.head.firstChild);
    }
    base.setAttribute('href', href);
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

  function playFirstAudio() {
    var media = document.querySelectorAll('audio, video');
    for (var i = 0; i < media.length; i++) {
      if (media[i].hasAttribute('data-autoplay') || i === 0) {
        try {
          media[i].currentTime = 0;
          var p = media[i].play();
          if (p && p.catch) p.catch(function () {});
        } catch {
          /* nothing to play */
        }
        return;
      }
    }
  }

  window.addEventListener('message', function (e) {
    if (e.source !== parentWindow) return;
    var m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'show') {
      setBase(String(m.mediaBase || '/'));
      document.getElementById('deckhand-card-style').textContent = String(m.css || '');
      document.body.className = String(m.bodyClass || 'card');
      var qa = document.getElementById('qa');
      qa.innerHTML = String(m.html || '');
      runScripts(qa);
      window.scrollTo(0, 0);
      post({ type: 'shown' });
    } else if (m.type === 'replay') {
      playFirstAudio();
    }
  });

  // Review keys pressed while the card has focus go to the review screen (not while typing).
  window.addEventListener('keydown', function (e) {
    var t = e.target;
    if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    post({ type: 'key', key: e.key, code: e.code, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, shiftKey: e.shiftKey });
    if (e.key === ' ' || e.key === 'Enter') e.preventDefault();
  });

  post({ type: 'ready' });
})();
