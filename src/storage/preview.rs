//! Reading the rows the overview of a range needs before the rest (see
//! `domain::preview`). Usage buckets are keyed by connection, kind, width
//! and start, so the daily rows from a start are one key range per kind,
//! all sent at once.

use futures::future::try_join_all;
use rexie::{Store, Transaction};

use super::buckets::{add_bucket_rows, Bucketed};
use super::pager::{rows_of_record, Pager};
use super::repo::{directory_in, OrgData};
use super::schema::{COST_DAYS, USAGE_BUCKETS};
use super::{Db, StorageError};
use crate::domain::cost::days_from;
use crate::domain::preview::Preview;
use crate::domain::usage::{rows_from, BucketWidth, UsageKind};

/// The rows of `store` whose keys lie between `low` and `high`.
async fn rows_between<T: Bucketed>(
    store: &Store,
    (low, high): (String, String),
) -> Result<Vec<T>, StorageError> {
    let mut rows = Vec::new();
    let mut pager = Pager::new(store, &low, &high)?;
    while let Some(page) = pager.next().await? {
        let held: usize = page.iter().map(rows_of_record).sum();
        pager.held(page.len(), held);
        add_bucket_rows(page, &mut rows)?;
    }
    Ok(rows)
}

/// The usage rows of one width of every kind, from `from` on.
async fn of_width<T: Bucketed>(
    tx: &Transaction,
    connection_id: &str,
    width: BucketWidth,
    from: i64,
) -> Result<Vec<T>, StorageError> {
    let store = tx.store(USAGE_BUCKETS).map_err(StorageError::read)?;
    let kinds = UsageKind::ALL.map(|kind| {
        rows_between(&store, rows_from(connection_id, kind, width, from))
    });
    Ok(try_join_all(kinds).await?.into_iter().flatten().collect())
}

impl Db {
    /// The data of `connection_id` the overview `preview` was made for
    /// needs: its projects, keys and people, and of its usage and costs
    /// the rows `Preview::rows_of` names.
    pub async fn overview_rows(
        &self,
        connection_id: &str,
        preview: &Preview,
    ) -> Result<OrgData, StorageError> {
        let tx = self.org_read()?;
        let from = preview.daily_from();
        let costs = async {
            let store = tx.store(COST_DAYS).map_err(StorageError::read)?;
            rows_between(&store, days_from(connection_id, from)).await
        };
        let (mut data, mut usage, costs) = futures::try_join!(
            directory_in(&tx, connection_id),
            of_width(&tx, connection_id, BucketWidth::Day, from),
            costs,
        )?;
        if preview.needs_hourly(&usage) {
            let hourly =
                of_width(&tx, connection_id, BucketWidth::Hour, i64::MIN)
                    .await?;
            usage.extend(hourly);
        }
        data.usage = usage;
        data.costs = costs;
        Ok(data)
    }
}
