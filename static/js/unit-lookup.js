// Suggest units while a unit code is typed: the options come from the unit look-up page.
// Only the answer to the latest request is shown: on a slow connection an earlier, shorter
// query could otherwise answer last and replace the right suggestions.
document.querySelectorAll("input.unit-lookup").forEach((input) => {
  const list = document.getElementById(input.getAttribute("list"));
  let timer = null;
  let latest = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const query = input.value.trim();
      if (query.length < 2) return;
      const request = ++latest;
      const url = document.body.dataset.lookupUrl + "?q=" + encodeURIComponent(query);
      const response = await fetch(url, { headers: { "HX-Request": "true" } });
      const login = response.headers.get("HX-Redirect"); // the session has ended
      if (login) return window.location.assign(login);
      const html = response.ok ? await response.text() : null;
      if (html !== null && request === latest) list.innerHTML = html;
    }, 200);
  });
  input.dataset.lookup = "ready"; // listening: what is typed from now on is looked up
});
