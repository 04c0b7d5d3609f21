// The top bar's 站内信 badge: the unread count is fetched once the page is shown, so rendering a page costs
// no query for it (apps.notifications.views.InboxUnreadView).
(function () {
  "use strict";
  var badge = document.getElementById("inbox-unread");
  if (!badge || !window.fetch) { return; }
  fetch(badge.getAttribute("data-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (data && data.unread > 0) {
        badge.textContent = data.unread > 99 ? "99+" : String(data.unread);
        badge.classList.remove("d-none");
        badge.setAttribute("aria-label", data.unread + " 条未读");
      }
    })
    .catch(function () { /* the badge stays hidden */ });
}());
