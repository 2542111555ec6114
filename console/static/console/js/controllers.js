// Named controllers instead of inline scripts (the CSP forbids those):
//   <div data-controller="map" data-...>   and, in a script file of its own,
//   GuardOps.register("map", (element) => { ... });
// A controller runs once per element, on page load and on every piece of page htmx swaps in.
(function () {
  "use strict";
  const registry = new Map();

  function connect(root) {
    if (!root || !root.querySelectorAll) return;
    const elements = Array.from(root.querySelectorAll("[data-controller]"));
    if (root.matches && root.matches("[data-controller]")) elements.unshift(root);
    for (const element of elements) {
      const done = new Set((element.dataset.connected || "").split(" ").filter(Boolean));
      for (const name of element.dataset.controller.split(/\s+/)) {
        if (!name || done.has(name) || !registry.has(name)) continue;
        registry.get(name)(element);
        done.add(name);
      }
      element.dataset.connected = Array.from(done).join(" ");
    }
  }

  window.GuardOps = {
    register(name, controller) {
      registry.set(name, controller);
      if (document.readyState !== "loading") connect(document.body);
    },
  };
  document.addEventListener("DOMContentLoaded", () => connect(document.body));
  document.addEventListener("htmx:load", (event) => connect(event.target));

  // <form data-controller="confirm" data-confirm="Approve despite 2 critical flags?">
  window.GuardOps.register("confirm", (form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm || "Are you sure?")) event.preventDefault();
    });
  });
})();
