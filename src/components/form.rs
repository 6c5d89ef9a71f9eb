//! Form pieces: a labelled field with its error, and the form-level error line.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The error a server action returned for `field`, if any.
pub fn field_error<S>(action: ServerAction<S>, field: &'static str) -> Signal<Option<String>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .and_then(|e| e.field(field))
    })
}

/// An error of the action that belongs to no field.
pub fn form_error<S>(action: ServerAction<S>) -> Signal<Option<String>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .filter(|e| !matches!(e, AppError::Invalid(_)))
            .map(|e| e.to_string())
    })
}

/// A problem found while typing wins over the last answer from the server.
pub fn live_or_server(
    live: RwSignal<Option<String>>,
    server: Signal<Option<String>>,
) -> Signal<Option<String>> {
    Signal::derive(move || live.get().or_else(|| server.get()))
}

#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] hint: Option<&'static str>,
    /// An error from the server, or from checking as you type.
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(optional)] on_input: Option<Callback<String>>,
    /// The id of a `<datalist>` that suggests values.
    #[prop(optional, into)]
    list: Option<String>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                list=list
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described.clone())
                on:input=move |ev| {
                    if let Some(cb) = on_input {
                        cb.run(event_target_value(&ev));
                    }
                }
            />
            {hint.map(|h| view! { <small class="muted">{h}</small> })}
            {move || error.get().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
        </div>
    }
}

#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|e| view! { <p class="form-error" role="alert">{e}</p> })
    }
}

/// Field errors of one form: what checking as you type found, else the server's last answer.
/// Feed it the form's `input` events; inputs are named `section[field]` or `field`.
#[derive(Clone, Copy)]
pub struct LiveChecks {
    /// Touched inputs by name, with their problem (None: fine now).
    typed: RwSignal<Vec<(String, Option<String>)>>,
    server: Signal<Option<AppError>>,
    check: fn(&str, &str) -> Option<String>,
}

impl LiveChecks {
    pub fn new<S>(action: ServerAction<S>, check: fn(&str, &str) -> Option<String>) -> Self
    where
        S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        S::Output: Clone + Send + Sync + 'static,
    {
        let typed = RwSignal::new(Vec::new());
        // A new answer from the server replaces what typing found.
        Effect::new(move |_| {
            action.value().track();
            typed.set(Vec::new());
        });
        let server = Signal::derive(move || action.value().get().and_then(|r| r.err()));
        Self {
            typed,
            server,
            check,
        }
    }

    /// Handler for the form's `input` event: checks the input that changed.
    pub fn input(self, ev: leptos::ev::Event) {
        let target = event_target::<leptos::web_sys::Element>(&ev);
        let Some(name) = target.get_attribute("name") else {
            return;
        };
        let field = name
            .rsplit('[')
            .next()
            .unwrap_or(&name)
            .trim_end_matches(']');
        let problem = (self.check)(field, &event_target_value(&ev));
        self.typed.update(|t| {
            t.retain(|(n, _)| *n != name);
            t.push((name, problem));
        });
    }

    pub fn error(self, name: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            let typed = self
                .typed
                .with(|t| t.iter().find(|(n, _)| n == name).map(|(_, p)| p.clone()));
            typed.unwrap_or_else(|| self.server.get().and_then(|e| e.field(name)))
        })
    }
}

/// A form reference that empties its form each time `action` succeeds (a sent reply should
/// not stay in the box). Pass it to `ActionForm`'s `node_ref`.
pub fn reset_after<S>(action: ServerAction<S>) -> NodeRef<leptos::html::Form>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
    });
    form
}

/// The filters of a list: a GET form whose answer is the list's own URL. Once the page is
/// hydrated, submitting it changes the URL in place (the router reloads only the list, and
/// keeps the scroll position); without JavaScript it is an ordinary form.
#[component]
pub fn FilterForm(action: &'static str, children: Children) -> impl IntoView {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{FormData, HtmlFormElement, UrlSearchParams};
    let navigate = leptos_router::hooks::use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        let query = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
            .and_then(|form| FormData::new_with_form(&form).ok())
            .and_then(|data| UrlSearchParams::new_with_str_sequence_sequence(&data).ok());
        if let Some(query) = query {
            ev.prevent_default();
            let options = leptos_router::NavigateOptions {
                scroll: false,
                ..Default::default()
            };
            navigate(
                &format!("{action}?{}", String::from(query.to_string())),
                options,
            );
        }
    };
    view! {
        <form method="get" action=action class="card filters" role="search" on:submit=submit>
            {children()}
        </form>
    }
}
