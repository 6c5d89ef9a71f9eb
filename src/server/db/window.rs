//! What the API's record lists share: archived records or not, the created and updated
//! ranges, and the sync order (by change time, then id, after a cursor) that answers every
//! change exactly once however pages and writes interleave.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Window {
    pub include_archived: bool,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    pub updated_from: Option<DateTime<Utc>>,
    pub updated_to: Option<DateTime<Utc>>,
    /// A sync: by change time then id, after this (time, id) when given.
    pub sync_after: Option<Option<(DateTime<Utc>, i64)>>,
}

impl Window {
    pub fn is_sync(&self) -> bool {
        self.sync_after.is_some()
    }

    /// The conditions on the records named `a`, after the scope's `$1`: `$2` to `$8`, bound by
    /// [`bind_window`]. Only the conditions asked for name a column (the others only check
    /// that their value is unset), so the planner can count active records from the index
    /// that holds only those.
    pub(super) fn sql(&self, a: &str) -> String {
        let archived = match self.include_archived {
            true => "$2".to_string(),
            false => format!("{a}.archived_at IS NULL AND NOT $2"),
        };
        let mut sql = format!("AND {archived}");
        let ranges = [
            (self.created_from, 3, "created_at >="),
            (self.created_to, 4, "created_at <="),
            (self.updated_from, 5, "updated_at >="),
            (self.updated_to, 6, "updated_at <="),
        ];
        for (value, n, test) in ranges {
            sql += &given(value.is_some(), n, &format!("{a}.{test} ${n}"));
        }
        sql += &match self.sync_after.flatten() {
            Some(_) => {
                format!(" AND ({a}.updated_at > $7 OR ({a}.updated_at = $7 AND {a}.id > $8))")
            }
            None => " AND $7 IS NULL AND $8 IS NULL".to_string(),
        };
        sql
    }

    /// The list's order: `plain`, or the sync order.
    pub(super) fn order(&self, a: &str, plain: &str) -> String {
        match self.is_sync() {
            true => format!("{a}.updated_at, {a}.id"),
            false => plain.to_string(),
        }
    }
}

/// Binds the scope's user and the window's values, `$1` to `$8`.
#[macro_export]
macro_rules! bind_window {
    ($q:expr, $scope:expr, $w:expr) => {{
        let (after, after_id) = $w.sync_after.flatten().unzip();
        $q.bind($scope.restricted_user)
            .bind($w.include_archived)
            .bind($w.created_from)
            .bind($w.created_to)
            .bind($w.updated_from)
            .bind($w.updated_to)
            .bind(after)
            .bind(after_id)
    }};
}

/// `AND cond` when its value `$n` is set, else only the check that it is unset: a query then
/// names the columns of the filters asked for alone, and the planner picks its index for
/// those.
pub(super) fn given(set: bool, n: u8, cond: &str) -> String {
    match set {
        true => format!(" AND {cond}"),
        false => format!(" AND ${n} IS NULL"),
    }
}
