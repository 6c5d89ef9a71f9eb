//! CSV export of the client list: exactly the rows of a list view, or the selected clients.

use super::auth::guard;
use super::auth::session::Session;
use super::db::{AuditEntry, Db};
use crate::clients::model::{Client, ClientFilter, ContactInput, LocationInput};
use crate::error::AppError;
use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;

/// Client columns, then the primary location's and the primary contact's. The names are
/// the import's own, so an export imports back as it is.
const HEADER: [&str; 33] = [
    "id",
    "name",
    "kind",
    "industry",
    "referral",
    "website",
    "domain",
    "account_code",
    "abbreviation",
    "trading_name",
    "currency",
    "hourly_rate",
    "net_terms",
    "tax_id",
    "invoice_email",
    "parent",
    "tags",
    "notes",
    "created_at",
    "archived_at",
    "location_name",
    "location_address_1",
    "location_address_2",
    "location_city",
    "location_state",
    "location_postal_code",
    "location_country",
    "location_phone",
    "contact_name",
    "contact_title",
    "contact_email",
    "contact_phone",
    "contact_mobile",
];

/// `GET /clients/export.csv` with the list's query string, or `ids=1,2,3` for a selection.
pub async fn clients_csv(
    State(db): State<Db>,
    Query(params): Query<Vec<(String, String)>>,
    req: Request,
) -> Response {
    let session = req.extensions().get::<Session>();
    let Some(s) = session.filter(|s| !s.mfa_pending && !s.user.must_change_password) else {
        return super::http::error_response(AppError::Unauthorized);
    };
    let origin = guard::origin_of(
        req.headers(),
        req.extensions().get::<ConnectInfo<SocketAddr>>(),
    );
    match export(&db, s, &params, origin).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"clients.csv\"",
                ),
            ],
            csv,
        )
            .into_response(),
        Err(err) => super::http::error_response(err),
    }
}

async fn export(
    db: &Db,
    s: &Session,
    params: &[(String, String)],
    origin: super::db::Origin,
) -> Result<String, AppError> {
    let get = |k: &str| params.iter().find(|(p, _)| p == k).map(|(_, v)| v.clone());
    let scope = guard::scope(s);
    let ids: Vec<i64> = match get("ids") {
        Some(ids) => ids
            .split(',')
            .filter_map(|i| i.trim().parse().ok())
            .collect(),
        None => {
            db.filtered_client_ids(scope, &ClientFilter::from_query(get))
                .await?
        }
    };
    let clients = db.clients_by_ids(scope, &ids).await?;
    let ids: Vec<i64> = clients.iter().map(|c| c.id).collect();
    let locations: HashMap<i64, LocationInput> = db
        .primary_locations(&ids)
        .await?
        .into_iter()
        .map(|l| (l.client_id, l.fields))
        .collect();
    let contacts: HashMap<i64, ContactInput> = db
        .primary_contacts(&ids)
        .await?
        .into_iter()
        .map(|k| (k.client_id, k.fields))
        .collect();
    let mut out = String::new();
    push_row(&mut out, HEADER.iter().map(|h| h.to_string()));
    for c in &clients {
        let (l, k) = (locations.get(&c.id), contacts.get(&c.id));
        push_row(&mut out, row(c).chain(primaries(l, k)));
    }
    let entry =
        AuditEntry::new(guard::actor(s), "client.export", origin).change("rows", "", clients.len());
    db.audit(&entry).await?;
    Ok(out)
}

fn row(c: &Client) -> impl Iterator<Item = String> + '_ {
    let f = &c.fields;
    let tags: Vec<&str> = c.tags.iter().map(|t| t.name.as_str()).collect();
    [
        c.id.to_string(),
        f.name.clone(),
        if f.lead { "lead" } else { "customer" }.to_string(),
        f.industry.clone(),
        f.referral.clone(),
        f.website.clone(),
        f.domain.clone(),
        f.account_code.clone(),
        f.abbreviation.clone(),
        f.trading_name.clone(),
        f.currency.clone(),
        f.hourly_rate.clone(),
        f.net_terms.clone(),
        f.tax_id.clone(),
        f.invoice_email.clone(),
        c.parent_name.clone().unwrap_or_default(),
        tags.join("; "),
        f.notes.clone(),
        c.created_at.clone(),
        c.archived_at.clone().unwrap_or_default(),
    ]
    .into_iter()
}

/// The primary location's and contact's cells (blank when there is none).
fn primaries(l: Option<&LocationInput>, k: Option<&ContactInput>) -> Vec<String> {
    let l = l.cloned().unwrap_or_default();
    let k = k.cloned().unwrap_or_default();
    [
        l.name,
        l.address_1,
        l.address_2,
        l.city,
        l.state,
        l.postal_code,
        l.country,
        l.phone,
        k.name,
        k.title,
        k.email,
        k.phone,
        k.mobile,
    ]
    .into()
}

fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    let cells: Vec<String> = cells.map(|c| cell(&c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// One quoted cell. A value a spreadsheet would run as a formula is prefixed with `'`.
pub fn cell(value: &str) -> String {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let value = if risky {
        format!("'{value}")
    } else {
        value.to_string()
    };
    format!("\"{}\"", value.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(super::cell("ACME"), "\"ACME\"");
        assert_eq!(super::cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(
            super::cell("=HYPERLINK(\"x\")"),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(super::cell("-1+2"), "\"'-1+2\"");
        assert_eq!(super::cell("@SUM(A1)"), "\"'@SUM(A1)\"");
    }
}
