// The watcher writes status.json after every rebuild: a new version is a new page (reload);
// an error means this page is stale (show it over the page); none, that it is current.
const PAGE_VERSION = Number(document.documentElement.dataset.version);
const banner = document.getElementById("build-error");
async function poll() {
  try {
    const status = await (await fetch("status.json", { cache: "no-store" })).json();
    if (status.version !== PAGE_VERSION) return location.reload();
    banner.querySelector("pre").textContent = status.error || "";
    banner.hidden = !status.error;
  } catch (error) {}  // the watch is not answering (stopped, restarting): ask again
  setTimeout(poll, 400);
}
poll();
