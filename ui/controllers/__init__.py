"""The page's event handlers, one module per area, each returning `{component: value}`.

`chat` answers (streaming, Stop, regenerate, edit-and-resend), `sidebar` keeps the list of
conversations, `library` and `feeds` the Library tab, `briefing` and `topics` its tab, `api`
the `/ask` endpoints; `shared` holds what they all use. They lay nothing out (`ui.layout`) and wire
nothing (`ui.app`); everything they answer comes from `rag`'s public names.
"""
