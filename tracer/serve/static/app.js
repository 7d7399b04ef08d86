// tracer serve: optional niceties; every page works without this file.
// A form that takes a while says so once it is sent, and cannot be sent twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var label = form.getAttribute("data-busy");
  var button = form.querySelector("button[type=submit]");
  if (!label || !button) {
    return;
  }
  // After the submit event, so the browser has already taken the form's values.
  window.setTimeout(function () {
    button.setAttribute("data-label", button.textContent);
    button.disabled = true;
    button.textContent = label;
  }, 0);
});

// Coming back with the Back button shows the page as it was left: make its buttons usable again.
window.addEventListener("pageshow", function () {
  var buttons = document.querySelectorAll("button[data-label]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].disabled = false;
    buttons[i].textContent = buttons[i].getAttribute("data-label");
  }
});
