// While a register is being checked (a normal form submission that takes a while), poll its
// progress and show it. No inline script, so the Content-Security-Policy stays strict.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.import-check")) {
    form.addEventListener("submit", () => {
      const box = form.querySelector(".import-progress");
      const bar = box.querySelector("progress");
      const label = box.querySelector("span");
      box.hidden = false;
      const poll = async () => {
        try {
          const response = await fetch(form.dataset.progressUrl, { credentials: "same-origin" });
          const state = await response.json();
          bar.max = state.total || 1;
          bar.value = state.done;
          label.textContent = state.label;
        } catch (error) {
          return;
        }
        setTimeout(poll, 1000);
      };
      setTimeout(poll, 500);
    });
  }
});
