// Suggest units while a unit code is typed: the options come from the unit look-up page.
document.querySelectorAll("input.unit-lookup").forEach((input) => {
  const list = document.getElementById(input.getAttribute("list"));
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (input.value.trim().length < 2) return;
      const url = document.body.dataset.lookupUrl + "?q=" + encodeURIComponent(input.value.trim());
      const response = await fetch(url, { headers: { "HX-Request": "true" } });
      if (response.ok) list.innerHTML = await response.text();
    }, 200);
  });
});
