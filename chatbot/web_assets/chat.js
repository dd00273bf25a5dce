() => {
  // The web chat's behaviour beyond Gradio's own. Class names come from chatbot/web_reply.py.
  const chat = () => document.querySelector('#chat');
  const blockTags = new Set(['P', 'DIV', 'LI', 'UL', 'OL', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'DETAILS', 'SUMMARY', 'BR']);

  // Plain text of a node: block elements on their own lines, list items as "- ".
  function plainText(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      const inList = node.parentNode && ['UL', 'OL'].includes(node.parentNode.tagName);
      return inList ? '' : node.textContent;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return '';
    if (node.tagName === 'BR') return '\n';
    const text = Array.from(node.childNodes).map(plainText).join('');
    if (node.tagName === 'LI') return '\n- ' + text.trim();
    return blockTags.has(node.tagName) ? '\n' + text.trim() + '\n' : text;
  }
  const tidy = (text) => text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();

  // The answer, then its sources as plain text with their links.
  function cleanCopy(message) {
    const content = message.querySelector('.message-content') || message;
    const clone = content.cloneNode(true);
    const sources = Array.from(clone.querySelectorAll('.source')).map((source) => {
      const number = source.querySelector('.source-number');
      const title = source.querySelector('.source-title');
      const where = source.querySelector('.source-where');
      return [number && number.textContent, title && title.textContent, where && '— ' + where.textContent,
              title && title.href].filter(Boolean).join(' ');
    });
    clone.querySelectorAll('details').forEach((d) => d.remove());
    let text = tidy(plainText(clone));
    if (sources.length) text += '\n\nSources:\n' + sources.join('\n');
    return text;
  }

  // A readable accessible name for each message instead of its raw HTML/Markdown.
  function labelMessages() {
    document.querySelectorAll('#chat [data-testid="bot"], #chat [data-testid="user"]').forEach((message) => {
      const who = message.dataset.testid === 'bot' ? 'Answer' : 'You asked';
      const content = message.querySelector('.message-content');
      if (!content) return;
      const label = `${who}: ${tidy(plainText(content)).replace(/\s+/g, ' ')}`.slice(0, 1000);
      if (message.getAttribute('aria-label') !== label) message.setAttribute('aria-label', label);
    });
    document.querySelectorAll('#chat .message a[href^="http"]').forEach((a) => {
      if (a.target !== '_blank') { a.target = '_blank'; a.rel = 'noopener noreferrer'; }
    });
  }
  // Scrolling (Gradio's own autoscroll is off): a question just sent is scrolled into view; a new
  // reply is shown from its start, so an urgent notice at its top is never scrolled past.
  let seen = { user: 0, bot: 0 };
  function followConversation() {
    const users = document.querySelectorAll('#chat [data-testid="user"]');
    const bots = document.querySelectorAll('#chat [data-testid="bot"]');
    const log = document.querySelector('#chat [role="log"]');
    if (log && bots.length > seen.bot) {
      const row = bots[bots.length - 1].closest('.message-row') || bots[bots.length - 1];
      log.scrollTop += row.getBoundingClientRect().top - log.getBoundingClientRect().top;
      const top = row.getBoundingClientRect().top;  // on a phone the chat box itself may be off screen
      if (top < 0 || top > window.innerHeight * 0.6) window.scrollBy(0, top - 8);
    } else if (log && users.length > seen.user) {
      log.scrollTop = log.scrollHeight;
    }
    seen = { user: users.length, bot: bots.length };
  }
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; labelMessages(); followConversation(); });
  }).observe(document.body, { childList: true, subtree: true, characterData: true });

  // Clicks: a [n] marker opens its source in the same reply; a copy button copies clean text.
  document.addEventListener('click', (event) => {
    const cite = event.target.closest && event.target.closest('#chat a.cite');
    if (cite) {
      event.preventDefault();
      const message = cite.closest('[data-testid="bot"]');
      const n = (cite.getAttribute('href') || '').replace('#source-', '');
      const source = message && message.querySelector(`.source-${CSS.escape(n)}`);
      if (!source) return;
      const details = source.closest('details');
      if (details) details.open = true;
      source.classList.add('source-highlight');
      source.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
      setTimeout(() => source.classList.remove('source-highlight'), 2000);
      return;
    }
    const copy = event.target.closest && event.target.closest('#chat .message-buttons button[aria-label="Copy message"]');
    if (copy) {
      const row = copy.closest('.message-buttons').previousElementSibling;
      const message = row && row.querySelector('[data-testid="bot"], [data-testid="user"]');
      if (!message || !navigator.clipboard) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const text = message.dataset.testid === 'bot' ? cleanCopy(message)
        : tidy(plainText(message.querySelector('.message-content') || message));
      navigator.clipboard.writeText(text).then(() => {
        copy.setAttribute('title', 'Copied');
        setTimeout(() => copy.setAttribute('title', 'Copy message'), 1500);
      });
    }
  }, true);
}
