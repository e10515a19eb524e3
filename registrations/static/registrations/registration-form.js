// The registration form: a theme's fields open when it is chosen; "Add a row" copies the
// last row of a table of targets or works with the next row number.
(function () {
  function sync(block) {
    const box = block.querySelector("input[name=themes]");
    const fields = block.querySelector(".theme-fields");
    if (!box || !fields) return;
    fields.hidden = !box.checked;
    block.classList.toggle("is-chosen", box.checked);
  }
  document.querySelectorAll("[data-theme-block]").forEach((block) => {
    sync(block);
    block.querySelector("input[name=themes]").addEventListener("change", () => sync(block));
  });
  document.querySelectorAll("[data-add-row]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      const body = document.getElementById(button.dataset.addRow);
      const last = body.querySelector("tr:last-child");
      if (!last) return;
      const row = Number(last.dataset.row) + 1;
      const copy = last.cloneNode(true);
      copy.dataset.row = String(row);
      copy.querySelectorAll("input, textarea").forEach((input) => {
        input.name = input.name.replace(/-(\d+)-([a-z_]+)$/, `-${row}-$2`);
        input.id = input.name;
        input.value = "";
        input.classList.remove("is-invalid");
      });
      copy.querySelectorAll(".invalid-feedback").forEach((el) => el.remove());
      copy.querySelectorAll("label").forEach((label) => {
        const target = label.getAttribute("for");
        if (target) label.setAttribute("for", target.replace(/-(\d+)-([a-z_]+)$/, `-${row}-$2`));
      });
      body.appendChild(copy);
      const first = copy.querySelector("input");
      if (first) first.focus();
    });
  });
})();
