//! `/admin/tags`: the typed, coloured tags that editors, filters and bulk actions apply.

use crate::clients::api::{list_tags, CreateTag, DeleteTag};
use crate::clients::model::TAG_KINDS;
use crate::clients::pages::editors::{Refresh, TagChip};
use crate::components::form::{field_error, form_error, Field, FormError};
use crate::components::loading::Loading;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TagsPage() -> impl IntoView {
    let Refresh(refresh) = Refresh::provide();
    let tags = Resource::new(move || refresh.get(), |_| list_tags());
    let create = ServerAction::<CreateTag>::new();
    Refresh::after(create);
    view! {
        <Title text="Tags" />
        <h1>"Tags"</h1>
        <section class="card">
            <Transition fallback=Loading>
                {move || tags.get().map(|r| r.map(|tags| view! {
                    <div class="table-wrap">
                        <table>
                            <thead><tr><th>"Tag"</th><th>"For"</th><th></th></tr></thead>
                            <tbody>
                                {tags.into_iter().map(|t| {
                                    let id = t.id;
                                    let kind = t.kind.clone();
                                    let name = t.name.clone();
                                    view! {
                                        <tr>
                                            <td><TagChip tag=t /></td>
                                            <td>{kind}</td>
                                            <td><DeleteTagButton id name /></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }))}
            </Transition>
        </section>
        <section class="card narrow-left">
            <h2>"Add a tag"</h2>
            <ActionForm action=create>
                <Field label="Tag name" name="name" required=true error=field_error(create, "name") />
                <div class="field">
                    <label for="field-kind">"For"</label>
                    <select id="field-kind" name="kind">
                        {TAG_KINDS.into_iter().map(|k| view! { <option value=k>{k}</option> }).collect_view()}
                    </select>
                </div>
                <Field label="Colour" name="colour" kind="color" value="#2456d6" error=field_error(create, "colour") />
                <FormError error=form_error(create) />
                <button type="submit">"Add tag"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn DeleteTagButton(id: i64, name: String) -> impl IntoView {
    let delete = ServerAction::<DeleteTag>::new();
    Refresh::after(delete);
    view! {
        <ActionForm action=delete>
            <input type="hidden" name="id" value=id />
            <button type="submit" class="link-button" aria-label=format!("Delete tag {name}")>"Delete"</button>
        </ActionForm>
    }
}
