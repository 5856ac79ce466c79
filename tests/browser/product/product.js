// product.js: the product page's own code: list apps with the SDK, connect, reconnect, disconnect.
(function () {
  "use strict";
  var q = new URLSearchParams(location.search);
  var cobalt = new exports.Cobalt({ baseUrl: q.get("base"), token: q.get("token") });
  window.cobalt = cobalt;
  var shown = (q.get("apps") || "hubspot,slack,twilio").split(",");
  var log = document.getElementById("log");
  function say(text) { log.textContent += text + "\n"; }

  function button(label, testid, onclick, cls) {
    var b = document.createElement("button");
    b.textContent = label;
    b.setAttribute("data-testid", testid);
    if (cls) b.className = cls;
    b.addEventListener("click", onclick);
    return b;
  }

  // Every SDK call leaves its outcome on <body> so a test can wait for it.
  function finish(slug, what, promise) {
    document.body.removeAttribute("data-result");
    return promise.then(function (v) {
      say(what + " " + slug + " -> " + JSON.stringify(v === undefined ? "done" : v));
      document.body.setAttribute("data-result", String(v === undefined ? "done" : v));
      return render();
    }, function (e) {
      say(what + " " + slug + " failed: " + e.message);
      document.body.setAttribute("data-result", "error:" + e.message);
    });
  }

  function card(app) {
    var div = document.createElement("div");
    div.className = "app";
    div.setAttribute("data-testid", "product-app-" + app.slug);
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = app.name;
    var state = document.createElement("span");
    state.className = "state" + (app.connected ? (app.reauth_required ? " warn" : " ok") : "");
    state.setAttribute("data-testid", "product-state-" + app.slug);
    state.textContent = !app.connected ? "Not connected" : app.reauth_required ? "Reconnect needed" : "Connected";
    div.appendChild(name);
    div.appendChild(state);
    var label = !app.connected ? "Connect" : app.reauth_required ? "Reconnect" : null;
    if (label && app.auth_type === "oauth2") {
      div.appendChild(button(label, "product-connect-" + app.slug, function () {
        finish(app.slug, "connect", cobalt.connect(app.slug)); // opens the consent popup
      }));
    } else if (label) {
      var form = document.createElement("form");
      (app.auth_input_map || []).forEach(function (f) {
        var input = document.createElement("input");
        input.name = f.name;
        input.placeholder = f.label;
        form.appendChild(input);
      });
      form.appendChild(button(label, "product-connect-" + app.slug, function (e) {
        e.preventDefault();
        var values = {};
        Array.prototype.forEach.call(form.querySelectorAll("input"), function (i) { values[i.name] = i.value; });
        finish(app.slug, "connect", cobalt.connect(app.slug, values));
      }));
      div.appendChild(form);
    }
    if (app.connected) {
      div.appendChild(button("Disconnect", "product-disconnect-" + app.slug, function () {
        finish(app.slug, "disconnect", cobalt.disconnect(app.slug));
      }, "secondary"));
    }
    return div;
  }

  function render() {
    return cobalt.getApp().then(function (apps) {
      var box = document.getElementById("apps");
      box.textContent = "";
      apps.filter(function (a) { return shown.indexOf(a.slug) >= 0; }).forEach(function (a) { box.appendChild(card(a)); });
      document.body.setAttribute("data-ready", "true");
    }, function (e) { say("getApp failed: " + e.message); });
  }
  window.renderApps = render;
  render();
})();
