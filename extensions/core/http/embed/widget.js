/*
 * LangBot chat widget. A site adds it with one script tag whose src is
 *   https://<langbot>/api/v1/embed/<bot uuid>/widget.js
 * It draws a chat bubble that opens a panel, talks to the bot over a WebSocket (replies stream in), keeps the
 * visitor's session id in localStorage, and offers reset and like/dislike. Plain DOM in a shadow root, no
 * framework, no other network than the LangBot server (and Cloudflare Turnstile when the bot turns it on).
 * The server fills in the __LANGBOT_…__ placeholders with JavaScript literals.
 */
(function () {
  'use strict';

  var BASE_URL = __LANGBOT_BASE_URL__;
  var BOT_UUID = __LANGBOT_BOT_UUID__;
  var BUBBLE_ICON = __LANGBOT_BUBBLE_ICON__;
  var LOCALE = __LANGBOT_LOCALE__;
  var TURNSTILE_SITE_KEY = __LANGBOT_TURNSTILE_SITE_KEY__;
  var TITLE = __LANGBOT_TITLE__;
  var WELCOME_MESSAGE = __LANGBOT_WELCOME_MESSAGE__;

  if (typeof window === 'undefined' || typeof document === 'undefined') return;
  var GLOBAL = '__langbotEmbed_' + BOT_UUID;
  if (window[GLOBAL]) return;

  // Where the browser actually reached LangBot (the templated URL may be an internal address).
  var script = document.currentScript;
  var loadedFrom = script && script.src ? /^(https?:\/\/.*)\/api\/v1\/embed\/[^/]+\/widget\.js(?:[?#].*)?$/i.exec(script.src) : null;
  if (loadedFrom) BASE_URL = loadedFrom[1];

  var TEXT = {
    en_US: {
      open: 'Open chat',
      close: 'Close chat',
      reset: 'Start a new conversation',
      send: 'Send',
      placeholder: 'Type a message…',
      input: 'Message',
      messages: 'Conversation',
      connecting: 'Connecting…',
      reconnecting: 'Connection lost. Reconnecting…',
      failed: 'Something went wrong. Please try again.',
      verify: 'Please complete the check below.',
      typing: 'The bot is typing…',
      like: 'Helpful',
      dislike: 'Not helpful',
      you: 'You',
      bot: 'Bot',
      fresh: 'A new conversation has started.'
    },
    zh_Hans: {
      open: '打开对话',
      close: '关闭对话',
      reset: '开始新对话',
      send: '发送',
      placeholder: '输入消息…',
      input: '消息',
      messages: '对话内容',
      connecting: '正在连接…',
      reconnecting: '连接已断开，正在重连…',
      failed: '出错了，请稍后再试。',
      verify: '请完成下方的验证。',
      typing: '机器人正在输入…',
      like: '有帮助',
      dislike: '没有帮助',
      you: '你',
      bot: '机器人',
      fresh: '已开始新的对话。'
    }
  };
  var t = TEXT[LOCALE] || TEXT.en_US;

  var API = BASE_URL + '/api/v1/embed/' + encodeURIComponent(BOT_UUID);
  var SESSION_TYPE = 'person';
  var STORE = 'langbot-embed:' + BOT_UUID + ':';
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  // ---- storage (localStorage can be missing or throw in private modes and sandboxed frames) ----
  var memory = {};
  function load(key) {
    try {
      var value = window.localStorage.getItem(STORE + key);
      return value === null ? memory[key] : value;
    } catch (e) {
      return memory[key];
    }
  }
  function save(key, value) {
    memory[key] = value;
    try {
      if (value === undefined) window.localStorage.removeItem(STORE + key);
      else window.localStorage.setItem(STORE + key, value);
    } catch (e) {
      /* kept in memory only */
    }
  }

  function uuid4() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') return c.randomUUID();
    var b = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = '';
    for (var j = 0; j < 16; j++) h += (b[j] + 256).toString(16).slice(1);
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function sessionId() {
    var id = load('session_id');
    if (!id || !UUID.test(id)) {
      id = uuid4();
      save('session_id', id);
    }
    return id;
  }

  // ---- HTTP ----
  function request(method, path, body, token) {
    var headers = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = 'Bearer ' + token;
    return fetch(API + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' }).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try {
          data = JSON.parse(text);
        } catch (e) {
          /* not JSON */
        }
        if (res.ok && data && data.code === 0) return data.data;
        var error = new Error((data && data.msg) || t.failed);
        error.status = res.status;
        throw error;
      });
    });
  }

  // ---- Turnstile (only when the bot has a site key) ----
  var turnstileScript = null;
  function turnstileToken() {
    if (!TURNSTILE_SITE_KEY) return Promise.resolve('');
    if (!turnstileScript) {
      turnstileScript = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit';
        script.async = true;
        script.onload = function () {
          resolve(window.turnstile);
        };
        script.onerror = function () {
          turnstileScript = null;
          reject(new Error(t.failed));
        };
        document.head.appendChild(script);
      });
    }
    return turnstileScript.then(function (turnstile) {
      return new Promise(function (resolve, reject) {
        setStatus(t.verify);
        turnstileBox.textContent = '';
        turnstile.render(turnstileBox, {
          sitekey: TURNSTILE_SITE_KEY,
          language: LOCALE === 'zh_Hans' ? 'zh-cn' : 'en',
          callback: function (token) {
            setStatus('');
            resolve(token);
          },
          'error-callback': function () {
            reject(new Error(t.failed));
          }
        });
      });
    });
  }

  var pendingToken = null;
  /** A session token that is still good for a while, from storage or a new one. */
  function sessionToken() {
    var token = load('token');
    var expires = Number(load('token_expires') || 0);
    if (token && expires - 300 > Date.now() / 1000) return Promise.resolve(token);
    if (!pendingToken) {
      pendingToken = turnstileToken()
        .then(function (captcha) {
          return request('POST', '/turnstile/verify', { token: captcha });
        })
        .then(function (data) {
          save('token', data.token);
          save('token_expires', String(data.expires_at));
          turnstileBox.textContent = '';
          return data.token;
        });
      pendingToken.then(
        function () {
          pendingToken = null;
        },
        function () {
          pendingToken = null;
        }
      );
    }
    return pendingToken;
  }
  function forgetToken() {
    save('token', undefined);
    save('token_expires', undefined);
  }

  // ---- icons ----
  function svg(paths, size) {
    return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="' + (size || 24) + '" height="' + (size || 24) + '" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">' + paths + '</svg>';
  }
  var ICONS = {
    chat: svg('<path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/>', 28),
    robot: svg('<rect x="4" y="8" width="16" height="12" rx="3"/><path d="M12 4v4M9 13h.01M15 13h.01M9 17h6"/>', 28),
    headset: svg('<path d="M4 14v-2a8 8 0 0 1 16 0v2"/><rect x="3" y="14" width="4" height="6" rx="1.5"/><rect x="17" y="14" width="4" height="6" rx="1.5"/>', 28),
    sparkle: svg('<path d="M12 3l2.2 5.8L20 11l-5.8 2.2L12 19l-2.2-5.8L4 11l5.8-2.2z"/>', 28),
    message: svg('<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M3 7l9 6 9-6"/>', 28),
    close: svg('<path d="M18 6L6 18M6 6l12 12"/>', 20),
    reset: svg('<path d="M3 12a9 9 0 1 0 3-6.7L3 8"/><path d="M3 3v5h5"/>', 18),
    send: svg('<path d="M22 2L11 13"/><path d="M22 2l-7 20-4-9-9-4z"/>', 18),
    like: svg('<path d="M7 10v11H4V10z"/><path d="M7 10l4-8a3 3 0 0 1 3 3v4h5.5a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.1 21H7"/>', 16),
    dislike: svg('<path d="M17 14V3h3v11z"/><path d="M17 14l-4 8a3 3 0 0 1-3-3v-4H4.5a2 2 0 0 1-2-2.3l1.4-8A2 2 0 0 1 5.9 3H17"/>', 16)
  };

  var CSS = [
    ':host{all:initial}',
    '*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei",sans-serif}',
    '.lb-bubble{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;padding:0;cursor:pointer;background:#4f46e5;color:#fff;display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(15,23,42,.25);z-index:2147483000;overflow:hidden}',
    '.lb-bubble img{width:100%;height:100%;display:block}',
    '.lb-bubble:focus-visible,button:focus-visible,textarea:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}',
    '.lb-panel{position:fixed;right:20px;bottom:88px;width:min(380px,calc(100vw - 24px));height:min(600px,calc(100vh - 110px));background:#fff;color:#0f172a;border-radius:14px;box-shadow:0 12px 40px rgba(15,23,42,.3);display:flex;flex-direction:column;overflow:hidden;z-index:2147483001;font-size:14px;line-height:1.5}',
    '.lb-panel[hidden]{display:none}',
    '.lb-header{display:flex;align-items:center;gap:4px;padding:12px 12px 12px 16px;background:#4f46e5;color:#fff}',
    '.lb-header h2{flex:1;margin:0;font-size:16px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}',
    '.lb-icon-button{background:transparent;border:0;color:inherit;cursor:pointer;border-radius:6px;padding:6px;display:flex}',
    '.lb-icon-button:hover{background:rgba(255,255,255,.15)}',
    '.lb-status{padding:0 16px;font-size:12px;color:#b45309;min-height:0}',
    '.lb-status:not(:empty){padding:6px 16px;background:#fffbeb}',
    '.lb-messages{flex:1;overflow-y:auto;padding:12px 12px 4px;display:flex;flex-direction:column;gap:8px;background:#f8fafc}',
    '.lb-message{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere}',
    '.lb-user{align-self:flex-end;background:#4f46e5;color:#fff;border-bottom-right-radius:4px}',
    '.lb-assistant,.lb-welcome{align-self:flex-start;background:#fff;border:1px solid #e2e8f0;border-bottom-left-radius:4px}',
    '.lb-notice{align-self:center;font-size:12px;color:#64748b}',
    '.lb-message img{max-width:100%;border-radius:8px;display:block;margin-top:4px}',
    '.lb-actions{display:flex;gap:4px;margin-top:4px}',
    '.lb-actions button{background:transparent;border:1px solid transparent;border-radius:6px;padding:2px 4px;color:#64748b;cursor:pointer;display:flex}',
    '.lb-actions button:hover{color:#0f172a;border-color:#e2e8f0}',
    '.lb-actions button[aria-pressed="true"]{color:#4f46e5;border-color:#c7d2fe;background:#eef2ff}',
    '.lb-typing{color:#64748b;font-style:italic}',
    '.lb-form{display:flex;gap:8px;padding:10px 12px;border-top:1px solid #e2e8f0;background:#fff}',
    '.lb-form textarea{flex:1;resize:none;border:1px solid #cbd5e1;border-radius:10px;padding:8px 10px;font-size:14px;max-height:120px;min-height:38px;color:#0f172a;background:#fff}',
    '.lb-send{background:#4f46e5;color:#fff;border:0;border-radius:10px;padding:0 12px;cursor:pointer;display:flex;align-items:center}',
    '.lb-send:disabled{opacity:.5;cursor:default}',
    '.lb-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    '@media (prefers-reduced-motion:no-preference){.lb-panel{animation:lb-in .15s ease-out}}',
    '@keyframes lb-in{from{opacity:0;transform:translateY(8px)}to{opacity:1;transform:none}}'
  ].join('\n');

  // ---- DOM ----
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) {
      if (name === 'text') node.textContent = attrs[name];
      else if (name === 'html') node.innerHTML = attrs[name];
      else node.setAttribute(name, attrs[name]);
    }
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  var host = el('div', { id: 'langbot-embed-' + BOT_UUID, 'data-langbot-embed': '' });
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var turnstileBox = el('div', { slot: 'turnstile' });
  host.appendChild(turnstileBox);

  var bubble = el('button', { type: 'button', class: 'lb-bubble', 'aria-label': t.open, 'aria-expanded': 'false', 'aria-controls': 'lb-panel' });
  if (ICONS[BUBBLE_ICON] && BUBBLE_ICON !== 'logo') bubble.innerHTML = ICONS[BUBBLE_ICON];
  else bubble.appendChild(el('img', { alt: '', src: BASE_URL + '/api/v1/embed/logo' }));
  var title = el('h2', { id: 'lb-title', text: TITLE });
  var resetButton = el('button', { type: 'button', class: 'lb-icon-button lb-reset', 'aria-label': t.reset, title: t.reset, html: ICONS.reset });
  var closeButton = el('button', { type: 'button', class: 'lb-icon-button lb-close', 'aria-label': t.close, title: t.close, html: ICONS.close });
  var status = el('div', { class: 'lb-status', role: 'status', 'aria-live': 'polite' });
  var list = el('div', { class: 'lb-messages', role: 'log', 'aria-live': 'polite', 'aria-label': t.messages, tabindex: '0' });
  var input = el('textarea', { id: 'lb-input', rows: '1', maxlength: '8000', placeholder: t.placeholder, 'aria-label': t.input });
  var sendButton = el('button', { type: 'submit', class: 'lb-send', 'aria-label': t.send, title: t.send, html: ICONS.send });
  var form = el('form', { class: 'lb-form' }, [input, sendButton]);
  var panel = el('div', { id: 'lb-panel', class: 'lb-panel', role: 'dialog', 'aria-labelledby': 'lb-title', hidden: '' }, [
    el('div', { class: 'lb-header' }, [title, resetButton, closeButton]),
    status,
    list,
    el('slot', { name: 'turnstile' }),
    form
  ]);
  root.appendChild(el('style', { text: CSS }));
  root.appendChild(panel);
  root.appendChild(bubble);

  function setStatus(message) {
    status.textContent = message || '';
  }

  // ---- messages ----
  var entries = {};
  var typing = null;

  function scrollDown() {
    list.scrollTop = list.scrollHeight;
  }

  function showTyping(on) {
    if (on && !typing) {
      typing = el('div', { class: 'lb-message lb-assistant lb-typing', text: t.typing });
      list.appendChild(typing);
      scrollDown();
    } else if (!on && typing) {
      typing.remove();
      typing = null;
    }
  }

  function notice(text) {
    list.appendChild(el('div', { class: 'lb-notice', text: text }));
    scrollDown();
  }

  function fillContent(node, data) {
    node.textContent = '';
    var chain = Array.isArray(data.message_chain) ? data.message_chain : null;
    if (!chain) {
      node.appendChild(document.createTextNode(data.content || ''));
      return;
    }
    chain.forEach(function (part) {
      if (part && part.type === 'Image') {
        var src = part.url || part.base64 || '';
        if (/^(https?:|data:image\/)/i.test(src)) node.appendChild(el('img', { src: src, alt: '' }));
      } else if (part && typeof part.text === 'string') {
        node.appendChild(document.createTextNode(part.text));
      }
    });
    if (!node.childNodes.length) node.appendChild(document.createTextNode(data.content || ''));
  }

  function feedbackButton(entry, type) {
    var button = el('button', { type: 'button', 'aria-label': type === 1 ? t.like : t.dislike, title: type === 1 ? t.like : t.dislike, 'aria-pressed': 'false', html: type === 1 ? ICONS.like : ICONS.dislike });
    button.addEventListener('click', function () {
      var next = entry.feedback === type ? 3 : type;
      sessionToken()
        .then(function (token) {
          return request('POST', '/feedback', { feedback_type: next, message_id: entry.id, session_id: sessionId(), session_type: SESSION_TYPE }, token);
        })
        .then(function () {
          entry.feedback = next === 3 ? 0 : next;
          entry.like.setAttribute('aria-pressed', String(entry.feedback === 1));
          entry.dislike.setAttribute('aria-pressed', String(entry.feedback === 2));
        })
        .catch(function (error) {
          setStatus(error.message);
        });
    });
    return button;
  }

  /** Adds a message, or updates the one with its id (a reply streaming in). */
  function upsert(data) {
    var entry = entries[data.id];
    if (!entry) {
      entry = { id: data.id, role: data.role, feedback: 0 };
      entry.node = el('div', { class: 'lb-message ' + (data.role === 'user' ? 'lb-user' : 'lb-assistant') });
      entry.label = el('span', { class: 'lb-hidden', text: (data.role === 'user' ? t.you : t.bot) + ': ' });
      entry.body = el('div');
      entry.node.appendChild(entry.label);
      entry.node.appendChild(entry.body);
      entries[data.id] = entry;
      if (data.role !== 'user') showTyping(false);
      list.appendChild(entry.node);
      if (typing) list.appendChild(typing);
    }
    fillContent(entry.body, data);
    if (entry.role !== 'user' && data.is_final !== false && !entry.actions) {
      entry.like = feedbackButton(entry, 1);
      entry.dislike = feedbackButton(entry, 2);
      entry.actions = el('div', { class: 'lb-actions' }, [entry.like, entry.dislike]);
      entry.node.appendChild(entry.actions);
    }
    scrollDown();
  }

  function clearMessages() {
    entries = {};
    list.textContent = '';
    typing = null;
    if (WELCOME_MESSAGE) list.appendChild(el('div', { class: 'lb-message lb-welcome', text: WELCOME_MESSAGE }));
  }

  // ---- the socket ----
  var ws = null;
  var connected = false;
  var outbox = [];
  var retries = 0;
  var retryTimer = null;
  var pingTimer = null;
  var isOpen = false;

  function scheduleReconnect() {
    if (retryTimer || !isOpen) return;
    var delay = Math.min(30000, 1000 * Math.pow(2, retries++));
    retryTimer = setTimeout(function () {
      retryTimer = null;
      connect();
    }, delay);
  }

  function handle(frame) {
    if (!frame || typeof frame.type !== 'string') return;
    if (frame.type === 'connected') {
      connected = true;
      retries = 0;
      setStatus('');
      while (outbox.length) ws.send(outbox.shift());
    } else if (frame.type === 'user_message' || frame.type === 'response') {
      if (frame.data) upsert(frame.data);
    } else if (frame.type === 'error') {
      showTyping(false);
      if (frame.message === 'Unauthorized') forgetToken();
      else setStatus(frame.message || t.failed);
    }
  }

  function connect() {
    if (ws && (ws.readyState === 0 || ws.readyState === 1)) return;
    setStatus(t.connecting);
    sessionToken()
      .then(function (token) {
        var url = BASE_URL.replace(/^http/i, 'ws') + '/api/v1/embed/' + encodeURIComponent(BOT_UUID) + '/ws/connect?session_type=' + SESSION_TYPE + '&session_id=' + sessionId();
        var socket = new WebSocket(url);
        ws = socket;
        socket.onopen = function () {
          socket.send(JSON.stringify({ type: 'authenticate', token: token }));
        };
        socket.onmessage = function (event) {
          try {
            handle(JSON.parse(event.data));
          } catch (e) {
            /* not a frame */
          }
        };
        socket.onclose = function () {
          if (ws !== socket) return;
          connected = false;
          ws = null;
          showTyping(false);
          if (isOpen) {
            setStatus(t.reconnecting);
            scheduleReconnect();
          }
        };
      })
      .catch(function (error) {
        setStatus(error.message || t.failed);
        scheduleReconnect();
      });
  }

  function disconnect() {
    if (ws) {
      var socket = ws;
      ws = null;
      connected = false;
      try {
        socket.send(JSON.stringify({ type: 'disconnect' }));
      } catch (e) {
        /* already closing */
      }
      socket.close();
    }
  }

  var historyLoaded = false;
  function loadHistory(retry) {
    return sessionToken()
      .then(function (token) {
        return request('GET', '/messages/' + SESSION_TYPE + '?session_id=' + sessionId(), undefined, token);
      })
      .then(function (data) {
        historyLoaded = true;
        (data.messages || []).forEach(upsert);
      })
      .catch(function (error) {
        if (error.status === 401 && !retry) {
          forgetToken();
          return loadHistory(true);
        }
        setStatus(error.message || t.failed);
      });
  }

  function send(text) {
    var frame = JSON.stringify({ type: 'message', message: [{ type: 'Plain', text: text }], stream: true });
    showTyping(true);
    if (connected && ws && ws.readyState === 1) ws.send(frame);
    else {
      outbox.push(frame);
      connect();
    }
  }

  // ---- open / close / reset ----
  function open() {
    if (isOpen) return;
    isOpen = true;
    panel.hidden = false;
    bubble.setAttribute('aria-expanded', 'true');
    bubble.setAttribute('aria-label', t.close);
    (historyLoaded ? Promise.resolve() : loadHistory(false)).then(connect);
    if (!pingTimer) {
      pingTimer = setInterval(function () {
        if (connected && ws && ws.readyState === 1) ws.send(JSON.stringify({ type: 'ping' }));
      }, 30000);
    }
    input.focus();
  }

  function close() {
    if (!isOpen) return;
    isOpen = false;
    panel.hidden = true;
    bubble.setAttribute('aria-expanded', 'false');
    bubble.setAttribute('aria-label', t.open);
    clearTimeout(retryTimer);
    retryTimer = null;
    clearInterval(pingTimer);
    pingTimer = null;
    disconnect();
    bubble.focus();
  }

  function reset() {
    var old = sessionId();
    return sessionToken()
      .then(function (token) {
        return request('POST', '/reset/' + SESSION_TYPE + '?session_id=' + old, undefined, token);
      })
      .catch(function () {
        /* a new session id starts a new conversation whatever the server answered */
      })
      .then(function () {
        save('session_id', uuid4());
        disconnect();
        clearMessages();
        notice(t.fresh);
        if (isOpen) connect();
        input.focus();
      });
  }

  bubble.addEventListener('click', function () {
    if (isOpen) close();
    else open();
  });
  closeButton.addEventListener('click', close);
  resetButton.addEventListener('click', reset);
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    }
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    send(text);
  });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit();
      else form.dispatchEvent(new Event('submit', { cancelable: true }));
    }
  });

  clearMessages();
  window[GLOBAL] = { open: open, close: close, reset: reset };

  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
