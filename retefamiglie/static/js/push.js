/* Opt in to push notifications on this device (preferences page). */
(function () {
  "use strict";
  const box = document.getElementById("push-device");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window)) {
    return;
  }
  const button = box.querySelector("button");
  const status = box.querySelector("[data-push-status]");
  const key = box.dataset.vapidKey;
  const csrf = box.dataset.csrf;

  function toBytes(base64) {
    const padded = (base64 + "===".slice((base64.length + 3) % 4))
      .replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function post(url, subscription) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(subscription),
    });
  }

  async function current() {
    const registration = await navigator.serviceWorker.register(box.dataset.sw, { scope: "/" });
    return { registration, subscription: await registration.pushManager.getSubscription() };
  }

  async function show() {
    const { subscription } = await current();
    box.hidden = false;
    button.textContent = subscription ? box.dataset.labelOff : box.dataset.labelOn;
    button.setAttribute("aria-pressed", subscription ? "true" : "false");
  }

  button.addEventListener("click", async () => {
    const { registration, subscription } = await current();
    if (subscription) {
      await post(box.dataset.unsubscribeUrl, subscription.toJSON());
      await subscription.unsubscribe();
      status.textContent = box.dataset.doneOff;
    } else {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        status.textContent = box.dataset.denied;
        return;
      }
      const created = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: toBytes(key),
      });
      const response = await post(box.dataset.subscribeUrl, created.toJSON());
      status.textContent = response.ok ? box.dataset.doneOn : box.dataset.failed;
    }
    show();
  });
  show();
})();
