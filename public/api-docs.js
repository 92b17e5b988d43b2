// Starts the vendored Swagger UI on /api/docs (src/http/api-docs.ts). A file, not an inline
// <script>: the CSP forbids inline code. The spec's URL comes from the page's data-spec-url.
;(() => {
  const root = document.getElementById('swagger-ui')
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    // The base layout: the standalone one adds a top bar to load other specs, 260 KB more.
    layout: 'BaseLayout',
    // Swagger UI would send the spec to validator.swagger.io for its badge: never leave the server.
    validatorUrl: null,
    // Try it out with the browser's session cookie; a pasted token lives only as long as the page.
    persistAuthorization: false,
  })
})()
