//! A field that names one client. Typing suggests clients from the global search; a chosen
//! suggestion reads "Name #12", and the id typed by hand ("#12") works without JavaScript.

use crate::clients::model::{client_ref, client_ref_text};
use crate::components::form::Field;
use crate::search::{global_search, MIN_LENGTH};
use leptos::prelude::*;

#[component]
pub fn ClientPicker(
    label: &'static str,
    name: &'static str,
    /// The client named now: (id, name).
    #[prop(default = None)]
    chosen: Option<(i64, String)>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    /// Hears the client's id when the text comes to name one.
    #[prop(optional)]
    on_pick: Option<Callback<i64>>,
) -> impl IntoView {
    let list = format!("{name}-choices");
    let error = error.unwrap_or_default();
    let found = RwSignal::new(Vec::<(i64, String)>::new());
    // Only the newest question's answer is shown; an older one may arrive after it.
    let asked = StoredValue::new(0u64);
    let suggest = Callback::new(move |typed: String| {
        if let Some(id) = client_ref(&typed) {
            if let Some(pick) = on_pick {
                pick.run(id);
            }
            return;
        }
        if typed.trim().chars().count() < MIN_LENGTH {
            return;
        }
        let n = asked.get_value() + 1;
        asked.set_value(n);
        leptos::task::spawn_local(async move {
            if let Ok(results) = global_search(typed).await {
                if asked.get_value() == n {
                    found.set(
                        results
                            .clients
                            .into_iter()
                            .map(|h| (h.client_id, h.title))
                            .collect(),
                    );
                }
            }
        });
    });
    view! {
        <Field label name value=chosen.map(|(id, name)| client_ref_text(id, &name)).unwrap_or_default()
            hint="Type a few letters, or a number like #12"
            list=list.clone() error on_input=suggest />
        <datalist id=list>
            {move || found.get().into_iter().map(|(id, name)| view! {
                <option value=client_ref_text(id, &name) />
            }).collect_view()}
        </datalist>
    }
}
