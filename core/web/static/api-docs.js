/* Starts Swagger UI on the API docs page (kept in a file so the CSP needs no inline script). */
window.addEventListener("load", function () {
  var node = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: node.getAttribute("data-spec"), dom_id: "#swagger-ui" });
});
