/** @jsxImportSource @kitajs/html */
/** Standalone (no app layout): it must render before the user may see anything else. */
export function LoginPage({ enabled, error }: { enabled: boolean; error?: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>yt-serve · sign in</title>
        <style>{`body{font:16px system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0;background:#f6f7f9;color:#1d2330}
@media (prefers-color-scheme:dark){body{background:#14171c;color:#e6e9ef}input{background:#1d2129;color:inherit;border-color:#3a404c}}
form{display:grid;gap:.75rem;width:min(22rem,90vw)}input,button{font:inherit;padding:.6rem .8rem;border-radius:.5rem;border:1px solid #c9ced8}
button{background:#3b6fd8;color:#fff;border:0;cursor:pointer}.error{color:#c0392b;margin:0}`}</style>
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
