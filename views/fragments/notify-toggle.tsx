/** @jsxImportSource @kitajs/html */

/**
 * The opt-in for a browser notification when a job ends. Hidden until public/notify.js
 * shows it: without script or without the Notification API it would do nothing.
 */
export function NotifyToggle() {
  return (
    <button type="button" id="notify-toggle" class="btn btn-small notify-toggle" hidden aria-pressed="false">
      Notify me when jobs end
    </button>
  )
}
