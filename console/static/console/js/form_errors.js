// A form htmx posts may be refused with its errors (409/422, the fragment re-rendered with them):
// htmx leaves 4xx answers unswapped by default, so swap them into a target that asks for it
// (<section data-swap-errors>); every other error keeps htmx's default.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  const target = event.detail.target;
  if ((status === 409 || status === 422) && target && target.hasAttribute("data-swap-errors")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
