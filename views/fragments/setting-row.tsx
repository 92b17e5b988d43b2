/** @jsxImportSource @kitajs/html */
import { AUDIO_FORMATS } from '../../src/config'
import { inputText, type SettingScope, settingNamed } from '../../src/settings/catalog'
import type { SettingState } from '../../src/settings/service'

export const settingRowId = (name: string) => `setting-${name}`

/** The node serving the page, and where a per-node value is saved unless the form says otherwise. */
export interface NodeScope {
  name: string
  scope: SettingScope
}

/** For a per-node setting: save it for this node or for every node; preset to where the value in force was saved. */
function ScopeSelect({ setting: s, node, id }: { setting: SettingState; node: NodeScope; id: string }) {
  const chosen = s.source === 'node' ? 'node' : s.source === 'database' ? 'cluster' : node.scope
  return (
    <select name="scope" id={id} aria-label={`Save ${s.label} for`}>
      <option value="node" selected={chosen === 'node'} safe>
        {`for this node (${node.name})`}
      </option>
      <option value="cluster" selected={chosen === 'cluster'}>
        for every node
      </option>
    </select>
  )
}

const QUALITIES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']

/** Where a value came from, in a word, as the API says it. */
export const SourceBadge = ({ source }: { source: string }) => (
  <span class="setting-source" data-source={source} safe>
    {source}
  </span>
)

function ValueInput({ setting: s, id }: { setting: SettingState; id: string }) {
  const text = inputText(s.value, settingNamed(s.name)!)
  if (s.name === 'audio_format' || s.name === 'audio_quality') {
    const choices = s.name === 'audio_format' ? AUDIO_FORMATS : QUALITIES
    return (
      <select name="value" id={id}>
        {choices.map((c) => (
          <option value={c} selected={c === text} safe>
            {c}
          </option>
        ))}
      </select>
    )
  }
  const placeholder = s.secret
    ? s.value === 'set'
      ? 'set: type a new one to replace it'
      : 'not set'
    : s.name === 'rate_limit'
      ? 'unlimited'
      : s.name === 'download_window'
        ? 'any time'
        : ''
  return <input type="text" name="value" id={id} value={text} placeholder={placeholder} size={s.secret ? '40' : '12'} autocomplete="off" />
}

/**
 * One changeable setting as its own small form: the value in force, where it came from, Save
 * and, for a value saved here, Reset (back to the environment's or the default). The answer
 * replaces the row; a refused value lands in its message line (hx-status), in the label's words.
 */
export function SettingRow({ setting: s, node, note }: { setting: SettingState; node: NodeScope; note?: string }) {
  const id = settingRowId(s.name)
  const onError = { 'hx-status:4xx': `target:#${id}-message swap:innerHTML`, 'hx-status:5xx': `target:#${id}-message swap:innerHTML` }
  return (
    <form
      id={id}
      class="setting-row settings"
      method="post"
      action={`/settings/${s.name}`}
      hx-post={`/settings/${s.name}`}
      hx-target="this"
      hx-swap="outerHTML"
      hx-disable="find button"
      {...onError}
    >
      <div class="settings-fields">
        <label for={`${id}-value`}>
          <span class="setting-label" safe>
            {s.label}
          </span>
        </label>
        <ValueInput setting={s} id={`${id}-value`} />
        {s.per_node ? <ScopeSelect setting={s} node={node} id={`${id}-scope`} /> : ''}
        <button type="submit" class="btn btn-small btn-primary" aria-label={`Save ${s.label}`}>
          Save
        </button>
        {s.source === 'database' || s.source === 'node' ? (
          <button
            type="submit"
            class="btn btn-small"
            formaction={`/settings/${s.name}/reset`}
            hx-post={`/settings/${s.name}/reset`}
            hx-target={`#${id}`}
            hx-swap="outerHTML"
            {...onError}
            aria-label={`Reset ${s.label}`}
            title={
              s.source === 'node'
                ? `back to the value for every node, else ${s.variable} from the environment, or the default`
                : `back to ${s.variable} from the environment, or the default`
            }
          >
            Reset
          </button>
        ) : (
          ''
        )}
        <span class="muted">
          from <SourceBadge source={s.source} /> · <code safe>{s.variable}</code>
        </span>
      </div>
      <p class="setting-hint muted" safe>
        {s.hint}
      </p>
      <div class="action-message" id={`${id}-message`} aria-live="polite">
        {note ? (
          <p class="notice" role="status" safe>
            {note}
          </p>
        ) : (
          ''
        )}
      </div>
    </form>
  )
}
