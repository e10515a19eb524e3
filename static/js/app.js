// The union tree: a node's button shows or hides the units below it; htmx loads them on the
// first click (data-hx-trigger="click once").
document.addEventListener("click", (event) => {
  const button = event.target.closest ? event.target.closest(".tree-toggle[aria-controls]") : null;
  if (!button) return;
  const slot = document.getElementById(button.getAttribute("aria-controls"));
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  if (slot) slot.hidden = !open;
});
