//! `agora-bench`: loads any CalDAV/CardDAV server through the standard protocol
//! only (PUT, REPORT), so Agora and others can be measured alike.
//!
//! Today it measures what the CalDAV/CardDAV issue asks for: populate a calendar
//! and an address book with N objects, then time a client's first sync —
//! `sync-collection` with an empty token, then `multiget` in batches of 100, the
//! way DAVx5 and Thunderbird do it. The benchmark issue adds the other workloads.
//!
//! # Layout
//! - `data`: realistic events (a tenth recurring, time zones, attendees) and contacts.
//! - `client`: the few requests a syncing client makes.
//! - `main`: command line, population with bounded concurrency, timing, report.

mod client;
mod data;

use std::sync::Arc;
use std::time::Instant;

use clap::Parser;

/// Command line.
#[derive(Parser, Debug)]
#[command(name = "agora-bench", about = "Measure a CalDAV/CardDAV server over the standard protocol")]
struct Args {
    /// Base URL, e.g. http://127.0.0.1:8008
    #[arg(long)]
    url: String,
    /// User name
    #[arg(long)]
    user: String,
    /// Password (or AGORA_BENCH_PASSWORD)
    #[arg(long, env = "AGORA_BENCH_PASSWORD")]
    password: String,
    /// Calendar collection path
    #[arg(long, default_value = "/calendars/{user}/calendar/")]
    calendar: String,
    /// Address book collection path
    #[arg(long, default_value = "/addressbooks/{user}/contacts/")]
    addressbook: String,
    /// Events to create
    #[arg(long, default_value_t = 20_000)]
    events: usize,
    /// Contacts to create
    #[arg(long, default_value_t = 20_000)]
    contacts: usize,
    /// Concurrent requests while populating
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Write the results as JSON to this file
    #[arg(long)]
    json: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let calendar = args.calendar.replace("{user}", &args.user);
    let addressbook = args.addressbook.replace("{user}", &args.user);
    let dav = Arc::new(client::Dav::new(&args.url, &args.user, &args.password)?);

    let started = Instant::now();
    let created_events = client::populate(&dav, &calendar, args.events, args.concurrency, data::event).await?;
    let populate_events = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let created_cards = client::populate(&dav, &addressbook, args.contacts, args.concurrency, data::contact).await?;
    let populate_cards = started.elapsed().as_secs_f64();
    eprintln!(
        "populated {created_events} events in {populate_events:.1} s ({:.0}/s), {created_cards} contacts in {populate_cards:.1} s ({:.0}/s)",
        created_events as f64 / populate_events.max(1e-9),
        created_cards as f64 / populate_cards.max(1e-9)
    );

    let cal = client::initial_sync(&dav, &calendar, "calendar-multiget", "C:calendar-data").await?;
    let book = client::initial_sync(&dav, &addressbook, "addressbook-multiget", "CARD:address-data").await?;
    println!("workload       objects  listing_s  multiget_s  total_s  bytes");
    for (name, r) in [("initial-sync calendar", &cal), ("initial-sync contacts", &book)] {
        println!(
            "{name:<22} {:>7} {:>9.2} {:>11.2} {:>8.2} {:>10}",
            r.objects,
            r.listing_seconds,
            r.multiget_seconds,
            r.total_seconds(),
            r.bytes
        );
    }
    if let Some(path) = args.json {
        let report = serde_json::json!({
            "populate": { "events": created_events, "events_seconds": populate_events,
                          "contacts": created_cards, "contacts_seconds": populate_cards },
            "initial_sync_calendar": cal.to_json(),
            "initial_sync_contacts": book.to_json(),
        });
        std::fs::write(&path, serde_json::to_string_pretty(&report).unwrap_or_default())
            .map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    Ok(())
}
