//! Two-factor sign-in: set up with a QR code, see recovery codes once, turn off.

use crate::accounts::mfa::{mfa_overview, MfaBegin, MfaConfirm, MfaDisable, MfaStatus};
use crate::components::form::{field_error, form_error, Field, FormError};
use crate::components::loading::Loading;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MfaPage() -> impl IntoView {
    let begin = ServerAction::<MfaBegin>::new();
    let confirm = ServerAction::<MfaConfirm>::new();
    let disable = ServerAction::<MfaDisable>::new();
    let overview = Resource::new(
        move || {
            (
                begin.version().get(),
                confirm.version().get(),
                disable.version().get(),
            )
        },
        |_| mfa_overview(),
    );
    let codes = move || confirm.value().get().and_then(|r| r.ok());
    view! {
        <Title text="Two-factor sign-in" />
        <h1>"Two-factor sign-in"</h1>
        <Show when=move || codes().is_some()>
            <section class="card" aria-labelledby="codes-title">
                <h2 id="codes-title">"Your recovery codes"</h2>
                <p>"Each code signs you in once if you lose your phone. Store them somewhere safe: they are shown only now."</p>
                <ul class="codes" data-testid="recovery-codes">
                    {move || codes().unwrap_or_default().into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                </ul>
            </section>
        </Show>
        <Transition fallback=Loading>
            {move || overview.get().map(|r| r.map(|o| view! { <MfaSection overview=o begin confirm disable /> }))}
        </Transition>
    }
}

#[component]
fn MfaSection(
    overview: MfaStatus,
    begin: ServerAction<MfaBegin>,
    confirm: ServerAction<MfaConfirm>,
    disable: ServerAction<MfaDisable>,
) -> impl IntoView {
    let required = overview.required.then(|| {
        view! {
            <p class="notice">"Your role requires two-factor sign-in."</p>
        }
    });
    let body = if overview.enabled {
        view! {
            <p>"Two-factor sign-in is " <strong>"on"</strong> ". Recovery codes left: " {overview.recovery_codes_left} "."</p>
            <Show when=move || !overview.required>
                <ActionForm action=disable>
                    <Field label="Password" name="password" kind="password" autocomplete="current-password"
                        required=true error=field_error(disable, "password") />
                    <FormError error=form_error(disable) />
                    <button type="submit" class="danger">"Turn off two-factor sign-in"</button>
                </ActionForm>
            </Show>
        }
        .into_any()
    } else if let Some(pending) = overview.pending {
        view! {
            <ol class="steps">
                <li>"Scan this code with an authenticator app (or type the key below)."</li>
                <li>"Enter the 6-digit code the app shows."</li>
            </ol>
            <div class="qr" inner_html=pending.qr_svg></div>
            <p>"Key: " <code data-testid="totp-secret">{pending.secret}</code></p>
            <ActionForm action=confirm>
                <Field label="Code from the app" name="code" autocomplete="one-time-code" required=true
                    error=field_error(confirm, "code") />
                <FormError error=form_error(confirm) />
                <button type="submit">"Turn on"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <p>"Two-factor sign-in is " <strong>"off"</strong> ". With it on, signing in also asks for a code from your phone."</p>
            <ActionForm action=begin>
                <button type="submit">"Set up two-factor sign-in"</button>
            </ActionForm>
        }
        .into_any()
    };
    view! { <section class="card">{required}{body}</section> }
}
