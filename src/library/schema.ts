import { t } from 'elysia'

/**
 * One of a few strings. Elysia's UnionEnum carries `default: values[0]`, which its
 * validator then fills into every request that leaves the field out: a PATCH of one
 * setting would reset the others. An absent field must stay absent.
 */
export const oneOf = <T extends string>(name: string, values: readonly T[], error = `${name} must be one of: ${values.join(', ')}`) => {
  const schema = t.UnionEnum(values as unknown as [T, ...T[]], { error })
  delete (schema as { default?: unknown }).default
  return schema
}
