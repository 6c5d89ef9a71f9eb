//! `/clients/import`: upload a CSV; `/clients/import/{id}`: choose what each column fills,
//! read the dry run, then import with a progress bar.

use crate::clients::import::{
    ImportColumn, ImportReport, ImportStatus, ImportView, Outcome, ReportRow, IMPORT_FIELDS,
};
use crate::clients::importer::{import_job, CheckImport, StartImport};
use crate::components::form::{field_error, form_error, FormError};
use crate::components::loading::Loading;
use crate::components::route::use_route_id;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ImportPage() -> impl IntoView {
    let query = use_query_map();
    let problem = move || query.read().get("problem");
    view! {
        <Title text="Import clients" />
        <p><a href="/clients">"← Clients"</a></p>
        <h1>"Import clients"</h1>
        <section class="card">
            <p>
                "A CSV file with a header row. Each row is a client, with its primary location and "
                "a contact where those columns are filled. A row updates the client with the same "
                "account code, or else the same name; other rows create clients. Nothing changes "
                "before you have seen a dry run."
            </p>
            {move || problem().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
            // A plain form: the file goes up the same way with or without JavaScript.
            <form method="post" action="/clients/import/upload" enctype="multipart/form-data">
                <div class="field">
                    <label for="import-file">"CSV file"</label>
                    <input id="import-file" type="file" name="file" accept=".csv,text/csv" required />
                </div>
                <button type="submit">"Upload"</button>
            </form>
        </section>
    }
}

#[component]
pub fn ImportJobPage() -> impl IntoView {
    let id = use_route_id();
    let check = ServerAction::<CheckImport>::new();
    let start = ServerAction::<StartImport>::new();
    let tick = RwSignal::new(0_u32);
    let job = Resource::new(
        move || {
            (
                id(),
                check.version().get(),
                start.version().get(),
                tick.get(),
            )
        },
        |(id, _, _, tick)| import_job(id, tick > 0),
    );
    // While the import runs, ask again; the server answers after a short wait (without
    // JavaScript the page refreshes itself).
    Effect::new(move || {
        let running = job
            .get()
            .and_then(Result::ok)
            .is_some_and(|j| j.status == ImportStatus::Running);
        if running {
            tick.update(|t| *t += 1);
        }
    });
    view! {
        <Title text="Import clients" />
        <p><a href="/clients/import">"← Import another file"</a></p>
        <Transition fallback=Loading>
            {move || job.get().map(|r| r.map(|job| view! { <ImportJob job check start /> }))}
        </Transition>
    }
}

#[component]
fn ImportJob(
    job: ImportView,
    check: ServerAction<CheckImport>,
    start: ServerAction<StartImport>,
) -> impl IntoView {
    let ImportView {
        id,
        file_name,
        status,
        total,
        columns,
        report,
        error,
    } = job;
    let report = report.unwrap_or_default();
    let stage = match status {
        ImportStatus::Uploaded => None,
        ImportStatus::Checked => Some(view! { <DryRun id total report start /> }.into_any()),
        ImportStatus::Running => Some(view! { <Progress id total report /> }.into_any()),
        ImportStatus::Done | ImportStatus::Failed => {
            Some(view! { <Finished report error /> }.into_any())
        }
    };
    let editable = matches!(status, ImportStatus::Uploaded | ImportStatus::Checked);
    view! {
        <h1>"Import " {file_name}</h1>
        <p class="muted">{total} " rows"</p>
        {editable.then(|| view! { <Mapping id columns check /> })}
        {stage}
    }
}

/// What each column fills, with the first value found in it.
#[component]
fn Mapping(id: i64, columns: Vec<ImportColumn>, check: ServerAction<CheckImport>) -> impl IntoView {
    let sections = [
        ("client.", "Client"),
        ("location.", "Primary location"),
        ("contact.", "Contact"),
    ];
    view! {
        <ActionForm action=check attr:class="card">
            <h2>"Columns"</h2>
            <input type="hidden" name="id" value=id />
            <div class="table-wrap">
                <table>
                    <thead><tr><th>"Column"</th><th>"First value"</th><th>"Fills"</th></tr></thead>
                    <tbody>
                        {columns.into_iter().enumerate().map(|(i, c)| view! {
                            <tr>
                                <td>{c.header.clone()}</td>
                                <td class="muted">{c.sample}</td>
                                <td>
                                    <select name=format!("mapping[{i}]") aria-label=format!("Field for {}", c.header)>
                                        <option value="">"Leave out"</option>
                                        {sections.map(|(prefix, group)| view! {
                                            <optgroup label=group>
                                                {IMPORT_FIELDS.iter().filter(|(k, _)| k.starts_with(prefix)).map(|(k, l)| view! {
                                                    <option value=*k selected=c.target == *k>{*l}</option>
                                                }).collect_view()}
                                            </optgroup>
                                        }).collect_view()}
                                    </select>
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <FormError error=field_error(check, "mapping") />
            <FormError error=form_error(check) />
            <button type="submit" disabled=move || check.pending().get()>"Check rows"</button>
        </ActionForm>
    }
}

#[component]
fn DryRun(
    id: i64,
    total: usize,
    report: ImportReport,
    start: ServerAction<StartImport>,
) -> impl IntoView {
    let accepted = report.created + report.updated;
    view! {
        <section class="card" data-testid="dry-run">
            <h2>"Dry run"</h2>
            <p role="status">
                {report.created} " to create, " {report.updated} " to update, "
                {report.rejected} " rejected. Nothing has changed yet."
            </p>
            <ReportTable total rows=report.rows />
            {(accepted > 0).then(|| view! {
                <ActionForm action=start>
                    <input type="hidden" name="id" value=id />
                    <FormError error=form_error(start) />
                    <button type="submit" disabled=move || start.pending().get()>
                        {format!("Import {accepted} rows")}
                    </button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn Progress(id: i64, total: usize, report: ImportReport) -> impl IntoView {
    let done = report.rows_done();
    view! {
        <section class="card" data-testid="import-progress">
            <h2>"Importing…"</h2>
            <progress max=total value=done aria-label="Import progress"></progress>
            <p role="status">{done} " of " {total} " rows"</p>
            // Without JavaScript, the page reloads itself until the import is over (where the
            // browser honours a refresh in <noscript>), and the link does it on demand.
            <div inner_html=r#"<noscript><meta http-equiv="refresh" content="1"></noscript>"#></div>
            <p><a href=format!("/clients/import/{id}")>"Check progress"</a></p>
        </section>
    }
}

#[component]
fn Finished(report: ImportReport, error: Option<String>) -> impl IntoView {
    let rejected: Vec<ReportRow> = report
        .rows
        .iter()
        .filter(|r| r.outcome == Outcome::Reject)
        .cloned()
        .collect();
    view! {
        <section class="card" data-testid="import-result">
            <h2>{if error.is_some() { "Import stopped" } else { "Import done" }}</h2>
            {error.map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <p role="status">
                {report.created} " created, " {report.updated} " updated, "
                {report.rejected} " rejected."
            </p>
            {(!rejected.is_empty()).then(|| view! { <ReportTable total=report.rejected rows=rejected /> })}
            <p><a href="/clients?sort=updated">"See the clients"</a></p>
        </section>
    }
}

/// Rows with what happens to each and why.
#[component]
fn ReportTable(total: usize, rows: Vec<ReportRow>) -> impl IntoView {
    let shown = rows.len();
    view! {
        <div class="table-wrap">
            <table data-testid="import-rows">
                <thead><tr><th>"Line"</th><th>"Result"</th><th>"Client"</th><th>"Why"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr data-outcome=r.outcome.as_str()>
                            <td>{r.line}</td>
                            <td><span class=match r.outcome {
                                Outcome::Reject => "badge danger",
                                _ => "badge",
                            }>{r.outcome.as_str()}</span></td>
                            <td>{r.name}</td>
                            <td>{r.detail}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(shown < total).then(|| view! { <p class="muted">"Showing " {shown} " of " {total} " rows, rejected rows first."</p> })}
    }
}
