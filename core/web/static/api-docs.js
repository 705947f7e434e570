/* Starts Swagger UI on the API docs page (kept in a file so the CSP needs no inline script). */
window.addEventListener("load", function () {
  var node = document.getElementById("swagger-ui");
  // validatorUrl: null — never send the document to the public validator (no external calls).
  window.SwaggerUIBundle({ url: node.getAttribute("data-spec"), dom_id: "#swagger-ui", validatorUrl: null });
});
