/** @jsxImportSource @kitajs/html */
import type { PropsWithChildren } from '@kitajs/html'

/*
 * Inline SVG icons: they draw the same everywhere, where emoji need an emoji font (a
 * headless Chromium without one shows 📥 as a box). Each is decorative (aria-hidden);
 * whatever the icon means is said by text next to it or by the label of its wrapper.
 * Presentation attributes only: the CSP allows no inline style.
 */

function Icon({ name, children }: PropsWithChildren<{ name: string }>) {
  return (
    <svg
      class={`icon icon-${name}`}
      aria-hidden="true"
      focusable="false"
      viewBox="0 0 16 16"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      {children}
    </svg>
  )
}

/** An arrow into a tray: the download phase. */
export const DownloadIcon = () => (
  <Icon name="download">
    <path d="M8 2v8M4.5 6.5 8 10l3.5-3.5M2.5 11v2.5h11V11" />
  </Icon>
)

/** An arrow from one folder to the next: a relayout job moving files. */
export const MoveIcon = () => (
  <Icon name="move">
    <path d="M2 4.5h4l1.5 1.5H14v7.5H2zM6 10h5M9 8l2 2-2 2" />
  </Icon>
)

/** A pair of notes: the audio extraction phase. */
export const ExtractIcon = () => (
  <Icon name="extract">
    <path d="M6 12V3.5l7-1.5V10.5" />
    <circle cx="4.3" cy="12" r="1.8" />
    <circle cx="11.3" cy="10.5" r="1.8" />
  </Icon>
)

/** An empty circle: not started. */
export const PendingIcon = () => (
  <Icon name="pending">
    <circle cx="8" cy="8" r="5" />
  </Icon>
)

/** A plain arrow down: downloading now. */
export const DownloadingIcon = () => (
  <Icon name="downloading">
    <path d="M8 2.5v11M3.5 9 8 13.5 12.5 9" />
  </Icon>
)

/** A single note: extracting now. */
export const ExtractingIcon = () => (
  <Icon name="extracting">
    <path d="M8.5 12V2.5l4 2" />
    <circle cx="6.5" cy="12" r="2" />
  </Icon>
)

/** A tick: done. */
export const DoneIcon = () => (
  <Icon name="done">
    <path d="m3 8.5 3.2 3.2L13 4.5" />
  </Icon>
)

/** A cross: failed. */
export const FailedIcon = () => (
  <Icon name="failed">
    <path d="m4 4 8 8M12 4l-8 8" />
  </Icon>
)

/** A bin: pruned by retention (the file was deleted on purpose). */
export const PrunedIcon = () => (
  <Icon name="pruned">
    <path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 9h5.6l.7-9" />
  </Icon>
)
