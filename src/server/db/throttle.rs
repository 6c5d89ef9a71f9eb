//! Failure counters in the database, so every node sees the same limits.

use super::{Db, DbResult};
use crate::on_pool;
use chrono::{DateTime, Duration, Utc};

/// A limit: `max_failures` within `window` blocks the bucket for `block`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub max_failures: i64,
    pub window: Duration,
    pub block: Duration,
}

impl Db {
    /// When the bucket is blocked, until when.
    pub async fn blocked_until(
        &self,
        bucket: &str,
        now: DateTime<Utc>,
    ) -> DbResult<Option<DateTime<Utc>>> {
        let sql = "SELECT blocked_until FROM throttle WHERE bucket = $1 AND blocked_until > $2";
        let until: Option<Option<DateTime<Utc>>> = on_pool!(self, pool => sqlx::query_scalar(sql).bind(bucket).bind(now).fetch_optional(pool).await)?;
        Ok(until.flatten())
    }

    /// Counts one failure; returns the end of the block when this failure reached the limit.
    pub async fn record_failure(
        &self,
        bucket: &str,
        limit: Limit,
        now: DateTime<Utc>,
    ) -> DbResult<Option<DateTime<Utc>>> {
        let sql = "INSERT INTO throttle (bucket, failures, window_started_at) VALUES ($1, 1, $2) \
                   ON CONFLICT (bucket) DO UPDATE SET \
                   failures = CASE WHEN throttle.window_started_at < $3 THEN 1 ELSE throttle.failures + 1 END, \
                   window_started_at = CASE WHEN throttle.window_started_at < $3 THEN $2 ELSE throttle.window_started_at END \
                   RETURNING failures";
        let failures: i64 = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(bucket).bind(now).bind(now - limit.window).fetch_one(pool).await)?;
        if failures < limit.max_failures {
            return Ok(None);
        }
        let until = now + limit.block;
        let sql = "UPDATE throttle SET blocked_until = $2, failures = 0, window_started_at = $3 WHERE bucket = $1";
        on_pool!(self, pool => sqlx::query(sql).bind(bucket).bind(until).bind(now).execute(pool).await.map(|_| ()))?;
        Ok(Some(until))
    }

    pub async fn clear_failures(&self, bucket: &str) -> DbResult<()> {
        let sql = "DELETE FROM throttle WHERE bucket = $1";
        on_pool!(self, pool => sqlx::query(sql).bind(bucket).execute(pool).await.map(|_| ()))?;
        Ok(())
    }
}
