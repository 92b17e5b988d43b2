// htmx 4's <hx-partial hx-target=… hx-swap=…>: one response updates a second region.
declare namespace JSX {
  interface IntrinsicElements {
    'hx-partial': HtmlTag & { 'hx-target': string; 'hx-swap': string }
  }
}
