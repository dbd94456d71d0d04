//! Home's extras: the redemption leaderboard of the local week (plain counting of the
//! week's orders) and a few picks for a member, from the categories it redeemed in, else
//! the popular items.

use chrono::{Datelike, Days};
use chrono_tz::Tz;
use mall_core::{
    catalog::{Sort, HOME_POPULAR},
    engagement::{PicksBasis, LEADERBOARD_SIZE, PICKS_SIZE},
    Rules, Tier,
};

use super::{
    ledger::{self, At},
    members::{self, MemberError},
};
use crate::{
    clock,
    db::{
        self,
        engagement::{CountedRow, PickFilter},
        items::ItemRow,
        Access,
    },
};

/// The local week around `now`: Monday 00:00 to the next Monday 00:00 in `zone`, as Unix
/// seconds.
pub fn week_of(zone: Tz, now: i64) -> (i64, i64) {
    let today = clock::local_date(zone, now);
    let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    (clock::start_of_day(zone, monday), clock::start_of_day(zone, monday + Days::new(7)))
}

/// The items orders of `[from, to)` took most units of (cancelled ones aside), most first,
/// ties by item id.
pub async fn most_redeemed(conn: &mut impl Access, from: i64, to: i64) -> Result<Vec<CountedRow>, sqlx::Error> {
    db::engagement::most_redeemed(conn, from, to, LEADERBOARD_SIZE as i64).await
}

/// Up to `PICKS_SIZE` items for the member: from the categories it redeemed in (the most
/// redeemed category first), filled up with the popular items; never tier-locked for it,
/// never sold out, never retired, never one of Home's popular row (shown just above the
/// picks). Within each source the items its spendable balance
/// covers come first, and in the answer every affordable pick comes before the others.
pub async fn picks(conn: &mut impl Access, rules: &Rules, at: At, member_id: i64) -> Result<(PicksBasis, Vec<ItemRow>), MemberError> {
    let tier = members::tier(conn, rules, member_id).await?;
    let balance = ledger::spendable_balance(conn, member_id, at).await?;
    let tiers: Vec<Tier> = Tier::ALL.into_iter().filter(|t| *t <= tier).collect();
    let categories = db::engagement::member_categories(conn, member_id).await?;
    // Not the items Home's popular row already shows above the picks.
    let popular_row = db::items::ItemFilter { sort: Sort::Popular, limit: i64::from(HOME_POPULAR), ..Default::default() };
    let shown: Vec<i64> = db::items::list(conn, &popular_row).await?.iter().map(|i| i.id).collect();
    let history =
        PickFilter { tiers: &tiers, categories: Some(&categories), affordable_up_to: balance, except: &shown, limit: PICKS_SIZE as i64 };
    let mine = db::engagement::pickable(conn, &history).await?;
    let chosen: Vec<i64> = shown.iter().copied().chain(mine.iter().map(|i| i.id)).collect();
    let popular = match PICKS_SIZE - mine.len() {
        0 => Vec::new(),
        left => db::engagement::pickable(conn, &PickFilter { categories: None, except: &chosen, limit: left as i64, ..history }).await?,
    };
    let basis = if mine.is_empty() { PicksBasis::Popular } else { PicksBasis::History };
    let (affordable, dearer): (Vec<ItemRow>, Vec<ItemRow>) = mine.into_iter().chain(popular).partition(|i| i.points <= balance);
    Ok((basis, affordable.into_iter().chain(dearer).collect()))
}
