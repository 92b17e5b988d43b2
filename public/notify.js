// The opt-in browser notification when a job ends (the button: views/fragments/notify-toggle.tsx).
// A job card (views/fragments/job-card.tsx) carries data-job-id and data-status and replaces
// itself while it polls; a card seen live on this page whose status turns final is a job that
// just ended. A DOM observer sees every swap, however htmx dispatches its own events.
;(() => {
  const KEY = 'yt-serve-notify'
  const LIVE = new Set(['queued', 'running', 'paused'])
  const supported = 'Notification' in window
  const seenLive = new Set()

  const wanted = () => supported && Notification.permission === 'granted' && localStorage.getItem(KEY) === 'on'

  function announce(card, id, status) {
    const name = card.querySelector('.job-title a')?.textContent?.trim() || `playlist of job #${id}`
    try {
      new Notification(`Job #${id} ${status}`, { body: name, tag: `yt-serve-job-${id}` })
    } catch {
      // Some browsers allow notifications only from a service worker; then there is none.
    }
  }

  function scan() {
    for (const card of document.querySelectorAll('.job-card[data-job-id]')) {
      const id = card.dataset.jobId
      const status = card.dataset.status
      if (LIVE.has(status)) seenLive.add(id)
      else if (seenLive.delete(id) && wanted()) announce(card, id, status)
    }
  }

  function render(button) {
    const on = wanted()
    const blocked = supported && Notification.permission === 'denied'
    button.setAttribute('aria-pressed', String(on))
    button.disabled = blocked
    button.textContent = on ? 'Notifications on (turn off)' : blocked ? 'Notifications are blocked by the browser' : 'Notify me when jobs end'
  }

  function setUpButton() {
    const button = document.getElementById('notify-toggle')
    // Without the API the button would do nothing, so it stays hidden.
    if (!button || !supported) return
    render(button)
    button.hidden = false
    button.addEventListener('click', async () => {
      if (wanted()) localStorage.removeItem(KEY)
      else if ((await Notification.requestPermission()) === 'granted') localStorage.setItem(KEY, 'on')
      render(button)
    })
  }

  setUpButton()
  scan()
  new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-status'] })
})()
