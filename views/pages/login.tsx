/** @jsxImportSource @kitajs/html */
import { assetUrls } from '../assets'
/** Standalone (no app layout): it must render before the user may see anything else. */
export function LoginPage({ enabled, error }: { enabled: boolean; error?: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>yt-serve · sign in</title>
        <link rel="stylesheet" href={assetUrls.loginCss} />
      </head>
      <body>
        <form method="post" action="/login">
          <h1>yt-serve</h1>
          {enabled ? (
            <>
              <label for="token">Access token</label>
              <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
              {error ? (
                <p class="error" role="alert" safe>
                  {error}
                </p>
              ) : (
                ''
              )}
              <button type="submit">Sign in</button>
            </>
          ) : (
            <p>No login is needed on this server.</p>
          )}
        </form>
      </body>
    </html>
  )
}
