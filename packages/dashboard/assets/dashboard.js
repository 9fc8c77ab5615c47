// Live parts of the dashboard. Server-rendered HTML is the only markup: a refresh fetches the
// same page and swaps its #live element; anything from an event is set as text, never as HTML.
"use strict";

(function () {
  const live = document.getElementById("live");
  const mode = document.body.dataset.live;

  async function refresh() {
    const response = await fetch(location.href, { headers: { accept: "text/html" }, credentials: "same-origin" });
    if (!response.ok) return;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = doc.getElementById("live");
    if (fresh && live) {
      live.replaceChildren(...Array.from(fresh.childNodes).map((n) => document.importNode(n, true)));
      document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || "0") + 1);
    }
  }

  let pending = null;
  function soon() {
    // Bursts of progress events make one refresh.
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      refresh().catch(() => undefined);
    }, 150);
  }

  if (live && mode === "sse" && "EventSource" in window) {
    const runId = live.dataset.run;
    const source = new EventSource("/dashboard/events");
    const status = document.getElementById("live-status");
    source.addEventListener("open", () => {
      document.body.dataset.connected = "true";
    });
    source.addEventListener("run", (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (runId && event.runId !== runId) return;
      if (status) status.textContent = `Live: ${event.type} ${event.runId || ""} ${event.message || ""}`.trim();
      soon();
    });
  } else if (live && mode === "poll") {
    setInterval(() => refresh().catch(() => undefined), 5000);
  }

  const form = document.getElementById("resume");
  if (form) {
    form.addEventListener("submit", async (submit) => {
      submit.preventDefault();
      const out = document.getElementById("resume-result");
      const token = form.elements.namedItem("token").value;
      // The API token travels in this request's Authorization header only: not stored, never a cookie.
      const response = await fetch(`/runs/${encodeURIComponent(form.dataset.run)}/resume`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        credentials: "omit",
      });
      const body = await response.json().catch(() => ({}));
      out.textContent = response.status === 202 ? "Resume accepted: the run continues from the stage that failed." : `Refused (${response.status}): ${body.error || "no reason given"}`;
      out.dataset.status = String(response.status);
      if (response.status === 202) soon();
    });
  }
})();
