//! CSV import of clients through the real router on every engine: upload, column mapping,
//! dry run, the background import and its audit trail, ownership and client scope.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::web::{app, call, get, send, Answer};
use docket::accounts::model::Role;
use docket::audit::model::AuditFilter;
use docket::clients::import::{ImportStatus, ImportView, Outcome};
use docket::clients::model::{ClientFilter, ClientInput, ContactInput};
use docket::server::db::{Db, Scope};

const PASSWORD: &str = "violet-harbour-kettle";

/// Posts `csv` as the import form's file, the way a browser sends it.
async fn upload(app: &axum::Router, cookie: Option<&str>, csv: &[u8]) -> Answer {
    let boundary = "docket-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"clients.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(csv);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = Request::post("/clients/import/upload")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::from(body)).unwrap()).await
}

/// Uploads and returns the new import's id.
async fn uploaded(app: &axum::Router, cookie: &str, csv: &str) -> i64 {
    let res = upload(app, Some(cookie), csv.as_bytes()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let to = res.header("location").unwrap();
    to.strip_prefix("/clients/import/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirected to {to}"))
}

async fn job(app: &axum::Router, cookie: &str, id: i64) -> ImportView {
    let res = call(app, "import_job", &[("id", &id.to_string())], Some(cookie)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

async fn check(app: &axum::Router, cookie: &str, id: i64, mapping: &[&str]) -> Answer {
    let keys: Vec<String> = (0..mapping.len())
        .map(|i| format!("mapping[{i}]"))
        .collect();
    let id = id.to_string();
    let mut form = vec![("id", id.as_str())];
    form.extend(keys.iter().map(String::as_str).zip(mapping.iter().copied()));
    call(app, "check_import", &form, Some(cookie)).await
}

/// Starts the import and waits for it to end.
async fn run(app: &axum::Router, cookie: &str, id: i64) -> ImportView {
    let res = call(
        app,
        "start_import",
        &[("id", &id.to_string())],
        Some(cookie),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    for _ in 0..600 {
        let view = job(app, cookie, id).await;
        if !matches!(view.status, ImportStatus::Running) {
            return view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not end");
}

async fn seed(db: &Db, name: &str, code: &str, person: Option<(&str, &str)>) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let id = tx
        .insert_client(&ClientInput {
            name: name.into(),
            account_code: code.into(),
            ..ClientInput::blank()
        })
        .await
        .unwrap();
    if let Some((name, email)) = person {
        tx.insert_contact(
            id,
            &ContactInput {
                name: name.into(),
                email: email.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    id
}

async fn client_named(db: &Db, name: &str) -> Option<docket::clients::model::Client> {
    let page = db
        .list_clients(
            Scope::ALL,
            0,
            &ClientFilter {
                q: Some(name.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let row = page.rows.into_iter().find(|r| r.name == name)?;
    db.client(Scope::ALL, row.id).await.unwrap()
}

const FILE: &str =
    "\u{feff}Name,Account Code,Currency,City,Country,Contact Name,Email,Contact Phone\r\n\
ACME Corp,,,Utrecht,nl,Wile Coyote,wile@acme.test,+1 555 0100\r\n\
Globex Intl,GLX-1,EUR,,,Hank Scorpio,HANK@globex.test,555 0199\r\n\
Initech Inc,,,Austin,US,,,\r\n\
Bad Money,,XXX,,,,,\r\n\
,,,Nowhere,,,,\r\n\
Dup Mail,,,,,Someone,wile@acme.test,\r\n\
ACME Corporation,,,,,,,\r\n\
Taken Mail,,,,,Bill,bill@initech.test,\r\n";

#[tokio::test]
async fn the_dry_run_reports_every_row_and_the_import_does_exactly_that() {
    on_each_engine!(|db| {
        let app = app(db);
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let cookie = common::session_cookie(db, tech).await;
        let globex = seed(db, "Globex", "GLX-1", Some(("Hank", "hank@globex.test"))).await;
        let initech = seed(db, "Initech", "", Some(("Bill", "bill@initech.test"))).await;

        let id = uploaded(&app, &cookie, FILE).await;
        let view = job(&app, &cookie, id).await;
        assert_eq!((view.status, view.total), (ImportStatus::Uploaded, 8));
        let guessed: Vec<&str> = view.columns.iter().map(|c| c.target.as_str()).collect();
        assert_eq!(
            guessed,
            [
                "client.name",
                "client.account_code",
                "client.currency",
                "location.city",
                "location.country",
                "contact.name",
                "contact.email",
                "contact.phone",
            ]
        );
        assert_eq!(
            view.columns[0].header, "Name",
            "the byte order mark is dropped"
        );
        assert_eq!(view.columns[3].sample, "Utrecht");

        let res = check(&app, &cookie, id, &guessed).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let view = job(&app, &cookie, id).await;
        assert_eq!(view.status, ImportStatus::Checked);
        let report = view.report.unwrap();
        assert_eq!((report.created, report.updated, report.rejected), (1, 2, 5));
        let row = |line: usize| report.rows.iter().find(|r| r.line == line).unwrap();
        assert_eq!(row(2).outcome, Outcome::Create);
        assert_eq!(row(3).outcome, Outcome::Update);
        assert_eq!(row(3).detail, "Matches Globex by account code");
        assert_eq!(row(4).detail, "Matches Initech by name");
        for (line, why) in [
            (5, "Currency: Enter an ISO 4217 code"),
            (6, "Client name:"),
            (7, "Same contact email as line 2"),
            (8, "Same client as line 2"),
            (9, "Contact email: already on Initech"),
        ] {
            assert_eq!(row(line).outcome, Outcome::Reject, "line {line}");
            assert!(
                row(line).detail.contains(why),
                "line {line}: {}",
                row(line).detail
            );
        }
        assert_eq!(report.rows[0].line, 5, "rejected rows come first");
        assert!(
            client_named(db, "ACME Corp").await.is_none(),
            "a dry run changes nothing"
        );

        let done = run(&app, &cookie, id).await;
        assert_eq!(done.status, ImportStatus::Done, "{:?}", done.error);
        let report = done.report.unwrap();
        assert_eq!((report.created, report.updated, report.rejected), (1, 2, 5));

        // Created with its primary location and contact.
        let acme = client_named(db, "ACME Corp").await.expect("ACME created");
        let locations = db.locations_of(acme.id).await.unwrap();
        assert_eq!(locations.len(), 1);
        assert_eq!(
            (
                locations[0].fields.city.as_str(),
                locations[0].fields.country.as_str()
            ),
            ("Utrecht", "NL")
        );
        assert!(locations[0].fields.primary);
        let contacts = db.contacts_of(acme.id).await.unwrap();
        assert_eq!(contacts.len(), 1);
        assert!(contacts[0].fields.primary);
        assert_eq!(contacts[0].fields.phone, "+1 555 0100");

        // Updated in place: the contact matched by email, whatever its case.
        let g = db.client(Scope::ALL, globex).await.unwrap().unwrap();
        assert_eq!(
            (g.fields.name.as_str(), g.fields.currency.as_str()),
            ("Globex Intl", "EUR")
        );
        let hank = db.contacts_of(globex).await.unwrap();
        assert_eq!(hank.len(), 1);
        assert_eq!(
            (hank[0].fields.name.as_str(), hank[0].fields.phone.as_str()),
            ("Hank Scorpio", "555 0199")
        );
        let i = db.locations_of(initech).await.unwrap();
        assert_eq!(i.len(), 1, "a client without locations gets a primary one");
        assert!(i[0].fields.primary && i[0].fields.city == "Austin");
        assert_eq!(db.contacts_of(initech).await.unwrap().len(), 1);
        assert!(client_named(db, "Bad Money").await.is_none());
        assert!(client_named(db, "Dup Mail").await.is_none());

        // Every change is audited as coming from the import.
        let audit = db
            .list_audit(&AuditFilter {
                page_size: Some(200),
                ..Default::default()
            })
            .await
            .unwrap();
        let from_import: Vec<(&str, Option<i64>)> = audit
            .rows
            .iter()
            .filter(|r| r.source == "import")
            .map(|r| (r.action.as_str(), r.client_id))
            .collect();
        assert!(from_import.contains(&("client.import", None)));
        assert!(from_import.contains(&("client.create", Some(acme.id))));
        assert!(from_import.contains(&("contact.create", Some(acme.id))));
        assert!(from_import.contains(&("location.create", Some(initech))));
        let currency = audit
            .rows
            .iter()
            .find(|r| r.action == "client.update" && r.client_id == Some(globex))
            .expect("the update is audited");
        assert!(currency
            .changes
            .iter()
            .any(|c| c.field == "currency" && c.new.as_deref() == Some("EUR")));

        // An import runs once; its columns are settled.
        let again = call(
            &app,
            "start_import",
            &[("id", &id.to_string())],
            Some(&cookie),
        )
        .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(
            check(&app, &cookie, id, &guessed).await.status,
            StatusCode::CONFLICT
        );

        // The export, with primary location and contact, imports back onto itself unchanged.
        let export = get(&app, "/clients/export.csv", Some(&cookie)).await;
        assert!(export.body.contains("\"'+1 555 0100\""), "{}", export.body);
        let back = uploaded(&app, &cookie, &export.body).await;
        let columns = job(&app, &cookie, back).await.columns;
        let mapping: Vec<&str> = columns.iter().map(|c| c.target.as_str()).collect();
        for field in [
            "client.name",
            "client.account_code",
            "location.city",
            "contact.email",
            "contact.phone",
        ] {
            assert!(mapping.contains(&field), "{field} in {mapping:?}");
        }
        assert_eq!(
            check(&app, &cookie, back, &mapping).await.status,
            StatusCode::OK
        );
        let report = job(&app, &cookie, back).await.report.unwrap();
        assert_eq!(
            (report.created, report.updated, report.rejected),
            (0, 3, 0),
            "{:?}",
            report.rows
        );
        let before = db.list_audit(&AuditFilter::default()).await.unwrap().total;
        assert_eq!(run(&app, &cookie, back).await.status, ImportStatus::Done);
        let after = db.list_audit(&AuditFilter::default()).await.unwrap().total;
        assert_eq!(after, before + 1, "only the import itself is logged");
    });
}

#[tokio::test]
async fn mappings_and_files_are_checked() {
    on_each_engine!(|db| {
        let app = app(db);
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let cookie = common::session_cookie(db, tech).await;
        let id = uploaded(&app, &cookie, "Company,E-mail\nACME,a@acme.test\n").await;

        let twice = check(&app, &cookie, id, &["client.name", "client.name"]).await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            twice.body.contains("Two columns fill Client name"),
            "{}",
            twice.body
        );
        let nameless = check(&app, &cookie, id, &["", "contact.email"]).await;
        assert_eq!(nameless.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(nameless.body.contains("client name"), "{}", nameless.body);
        let unknown = check(&app, &cookie, id, &["client.name", "client.password"]).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(job(&app, &cookie, id).await.status, ImportStatus::Uploaded);
        let early = call(
            &app,
            "start_import",
            &[("id", &id.to_string())],
            Some(&cookie),
        )
        .await;
        assert_eq!(
            early.status,
            StatusCode::CONFLICT,
            "no import before a dry run"
        );

        for (file, problem) in [
            (&b"Name\n"[..], "at least one row"),
            (&b"Name\n\xff\xfe\n"[..], "UTF-8"),
            (&b",,\n1,2\n"[..], "header row"),
        ] {
            let res = upload(&app, Some(&cookie), file).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER);
            let to = res.header("location").unwrap();
            assert!(to.starts_with("/clients/import?problem="), "{to}");
            let said = to.replace("%20", " ");
            assert!(said.contains(problem), "{said}");
        }
    });
}

#[tokio::test]
async fn imports_belong_to_their_uploader_and_stay_in_scope() {
    on_each_engine!(|db| {
        let app = app(db);
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let other = common::create_user(db, "other@example.com", Role::Technician, PASSWORD).await;
        let reader = common::create_user(db, "read@example.com", Role::ReadOnly, PASSWORD).await;
        let allowed = seed(db, "Allowed Ltd", "", None).await;
        let hidden = seed(db, "Hidden Co", "HID", None).await;
        common::restrict(db, tech, &[allowed]).await;
        let cookie = common::session_cookie(db, tech).await;

        let none = upload(&app, None, b"Name\nX\n").await;
        assert_eq!(none.status, StatusCode::UNAUTHORIZED);
        let read_only = common::session_cookie(db, reader).await;
        assert_eq!(
            upload(&app, Some(&read_only), b"Name\nX\n").await.status,
            StatusCode::FORBIDDEN
        );

        let id = uploaded(
            &app,
            &cookie,
            "Name,Account code,Industry\nAllowed Ltd,,Law\nHidden Co,HID,Law\n",
        )
        .await;
        let someone_else = common::session_cookie(db, other).await;
        let peek = call(
            &app,
            "import_job",
            &[("id", &id.to_string())],
            Some(&someone_else),
        )
        .await;
        assert_eq!(
            peek.status,
            StatusCode::NOT_FOUND,
            "an import is its uploader's"
        );

        check(
            &app,
            &cookie,
            id,
            &["client.name", "client.account_code", "client.industry"],
        )
        .await;
        let report = job(&app, &cookie, id).await.report.unwrap();
        assert_eq!(
            (report.created, report.updated),
            (1, 1),
            "a client out of scope is not matched"
        );
        let done = run(&app, &cookie, id).await;
        assert_eq!(done.status, ImportStatus::Done);

        let scope = Scope::user(tech);
        let visible = db
            .list_clients(scope, 0, &ClientFilter::default())
            .await
            .unwrap();
        let mut names: Vec<(String, String)> = visible
            .rows
            .iter()
            .map(|r| (r.name.clone(), r.industry.clone()))
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ("Allowed Ltd".to_string(), "Law".to_string()),
                ("Hidden Co".to_string(), "Law".to_string())
            ],
            "the technician keeps the client they imported"
        );
        let untouched = db.client(Scope::ALL, hidden).await.unwrap().unwrap();
        assert_eq!(untouched.fields.industry, "");
    });
}

#[tokio::test]
async fn a_run_whose_server_stopped_is_reported_and_commits_nothing_more() {
    on_each_engine!(|db| {
        let app = app(db);
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let cookie = common::session_cookie(db, tech).await;
        let id = uploaded(&app, &cookie, "Name\nACME\n").await;
        let checked = check(&app, &cookie, id, &["client.name"]).await;
        assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);

        // A node claims the run, then dies before its first batch.
        assert!(db.claim_import(id).await.unwrap());
        let running = job(&app, &cookie, id).await;
        assert_eq!(running.status, ImportStatus::Running);
        assert!(
            running.columns.is_empty(),
            "a polled run does not read the file"
        );

        let silent_since = chrono::Utc::now() - docket::clients::importer::STALL;
        let sql = "UPDATE imports SET progress_at = $1 WHERE id = $2";
        docket::on_pool!(db, pool => sqlx::query(sql)
            .bind(silent_since - chrono::TimeDelta::minutes(1)).bind(id).execute(pool).await.map(|_| ()))
        .unwrap();
        let stopped = job(&app, &cookie, id).await;
        assert_eq!(stopped.status, ImportStatus::Failed);
        let error = stopped.error.unwrap_or_default();
        assert!(error.contains("server stopped"), "{error}");

        // Were the run still alive, its next batch could not commit.
        let mut tx = db.begin().await.unwrap();
        assert!(!tx.import_progress(id, "{}").await.unwrap());
        drop(tx);
        assert!(client_named(db, "ACME").await.is_none());
    });
}
