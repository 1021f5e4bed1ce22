// Incident reports written without network ("offline"): the report form keeps a report on the
// phone when there is no network and sends it when the network returns, showing each one's
// state. Every report carries a key made on the phone (client_key); the server files a report
// once per key, so a report sent twice is filed once. A service worker keeps the form itself
// available offline.
(function () {
  "use strict";
  var STORE = "trygg-offline-reports";
  var script = document.currentScript;
  var form = document.querySelector("form[data-offline-queue]");
  var box = document.querySelector("[data-offline-status]");
  var list = box && box.querySelector("[data-offline-list]");

  if ("serviceWorker" in navigator && script && script.getAttribute("data-worker")) {
    navigator.serviceWorker.register(script.getAttribute("data-worker"), { scope: "/handelser/" })
      .catch(function () { /* the form still works online */ });
  }

  function load() {
    try { return JSON.parse(window.localStorage.getItem(STORE)) || []; } catch (error) { return []; }
  }
  function save(queue) { window.localStorage.setItem(STORE, JSON.stringify(queue)); }
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return String(Date.now()) + "-" + String(Math.random()).slice(2);
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function render() {
    if (!box || !list) { return; }
    var queue = load();
    box.hidden = queue.length === 0;
    list.textContent = "";
    queue.forEach(function (item) {
      var row = document.createElement("li");
      row.className = "offline-queue__item offline-queue__item--" + item.state;
      var label = document.createElement("span");
      label.textContent = item.title + " · " + item.when + ": ";
      var state = document.createElement("strong");
      state.textContent = box.getAttribute("data-" + item.state) || item.state;
      row.appendChild(label);
      if (item.state === "sent" && item.link) {
        var link = document.createElement("a");
        link.href = item.link;
        link.appendChild(state);
        row.appendChild(link);
      } else {
        row.appendChild(state);
      }
      list.appendChild(row);
    });
  }

  function send(item) {
    var body = new URLSearchParams(item.fields);
    return window.fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "follow",
      headers: { "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      var filed = response.ok && response.redirected &&
        /^\/handelser\/\d+\/$/.test(new URL(response.url).pathname);
      if (filed) {
        item.state = "sent";
        item.link = new URL(response.url).pathname;
      } else if (response.ok) {
        item.state = "check";  // the server refused the content (personal data, a bad date …)
      }
    });
  }

  var sending = false;
  function flush() {
    if (sending || !navigator.onLine) { return; }
    var queue = load();
    var waiting = queue.filter(function (item) { return item.state === "waiting"; });
    if (!waiting.length) { return; }
    sending = true;
    waiting.reduce(function (chain, item) {
      return chain.then(function () { return send(item); }).then(function () {
        save(queue);
        render();
      });
    }, Promise.resolve()).catch(function () { /* still offline: try again on "online" */ })
      .then(function () { sending = false; });
  }

  if (form) {
    var keyField = form.querySelector("input[name=client_key]");
    if (keyField && !keyField.value) { keyField.value = newKey(); }
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) { return; }
      event.preventDefault();
      var data = new FormData(form);
      data.delete("csrfmiddlewaretoken");
      var fields = {};
      // Photos cannot be kept offline: the report waits without them.
      data.forEach(function (value, name) { if (typeof value === "string") { fields[name] = value; } });
      var category = form.querySelector("select[name=category]");
      var queue = load();
      queue.push({
        key: fields.client_key,
        url: form.getAttribute("action") || window.location.pathname,
        fields: fields,
        state: "waiting",
        title: category && category.selectedIndex > 0 ? category.options[category.selectedIndex].text : "",
        when: (fields.date || "") + " " + (fields.time || "")
      });
      save(queue);
      form.reset();
      if (keyField) { keyField.value = newKey(); }
      render();
      if (box) {
        var note = box.querySelector("[data-offline-note]") || document.createElement("p");
        note.setAttribute("data-offline-note", "");
        note.setAttribute("role", "status");
        note.textContent = box.getAttribute("data-queued");
        box.insertBefore(note, box.firstChild.nextSibling);
        box.scrollIntoView();
      }
    });
  }

  window.addEventListener("online", flush);
  render();
  flush();
})();
