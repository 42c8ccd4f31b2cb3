//! The SMS gateway against a real SMPP server: the local SMSC simulator (`tests/sinks/smsc.py`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::{
    collections::BTreeSet,
    time::{Duration, Instant},
};

use channels::sms::{Inbound, SmsClient, SmsError, count_segments};
use support::{Smsc, next_inbound, wait_until};

const PHONE: &str = "+79221234567";

/// Receipts until every id in `ids` has one; returns id → state.
async fn receipts_for(
    inbound: &mut tokio::sync::mpsc::Receiver<Inbound>,
    ids: &[String],
) -> Vec<(String, String)> {
    let mut wanted: BTreeSet<&String> = ids.iter().collect();
    let mut got = Vec::new();
    while !wanted.is_empty() {
        match next_inbound(inbound, Duration::from_secs(5)).await {
            Inbound::Receipt { message_id, state } => {
                assert!(
                    wanted.remove(&message_id),
                    "unexpected receipt {message_id}"
                );
                got.push((message_id, state));
            }
            other => panic!("expected a receipt, got {other:?}"),
        }
    }
    got.sort();
    got
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_arrive_whole_with_segments_and_receipts() {
    let smsc = Smsc::start(&[]).await;
    let (client, mut inbound) = smsc.client().await;

    let short = "Your complaint #1042 was accepted. Reply 1 if solved, 2 if not.";
    let long_latin = "The inspector visits your building tomorrow between 10:00 and 14:00; \
                      please make sure the basement is open. Costs: 5€ [estimate]. "
        .repeat(2);
    let long_cyrillic = "Ваша заявка №1042 принята управляющей компанией. Инспектор придёт \
                         завтра с 10 до 14 часов, обеспечьте доступ в подвал. Ответьте 1, если \
                         проблема решена, или 2, если нет.";
    assert!(long_cyrillic.chars().count() > 134);

    let mut all_ids = Vec::new();
    for (text, segments) in [(short, 1), (long_latin.as_str(), 2), (long_cyrillic, 3)] {
        assert_eq!(count_segments(text), segments);
        let submitted = client.submit(PHONE, text).await.expect("accepted");
        assert_eq!(submitted.segments, segments, "{text}");
        assert_eq!(submitted.message_ids.len(), segments as usize);
        all_ids.extend(submitted.message_ids);
    }
    let distinct: BTreeSet<_> = all_ids.iter().collect();
    assert_eq!(distinct.len(), all_ids.len(), "every part has its own id");

    let messages = smsc.messages().await;
    assert_eq!(messages.len(), 3, "{messages:?}");
    let expected = [
        (short, 1, 0),
        (long_latin.as_str(), 2, 0),
        (long_cyrillic, 3, 8),
    ];
    let mut ids = all_ids.iter();
    for (m, (text, segments, data_coding)) in messages.iter().zip(expected) {
        assert_eq!(m["to"], PHONE);
        assert_eq!(m["from"], "DISPATCH");
        assert_eq!(m["text"], text, "reassembled intact");
        assert_eq!(m["segments"], segments);
        assert_eq!(m["data_coding"], data_coding);
        for id in m["message_ids"].as_array().unwrap() {
            assert_eq!(Some(id.as_str().unwrap()), ids.next().map(String::as_str));
        }
    }

    let receipts = receipts_for(&mut inbound, &all_ids).await;
    assert!(
        receipts.iter().all(|(_, state)| state == "DELIVRD"),
        "{receipts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_from_phones_arrive_decoded() {
    let smsc = Smsc::start(&[]).await;
    let (_client, mut inbound) = smsc.client().await;

    let long = "Проблема не решена: в подвале по-прежнему течёт труба, вода уже дошла до \
                кладовок. Пришлите, пожалуйста, мастера ещё раз.";
    let cases = [
        ("+79220000001", "2", "ucs2", 1),
        ("+79220000002", "Спасибо, всё починили!", "ucs2", 1),
        ("+79220000003", long, "ucs2", 2),
        ("+15550000004", "Fixed @ 10:00, cost 5€ {ok}", "gsm7", 1),
        ("+4915100000005", "Grüße, café", "latin1", 1),
    ];
    for (from, text, encoding, parts) in cases {
        let (status, answer) = smsc.reply(from, text, encoding).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["parts"], parts);
        assert!(
            answer["statuses"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s == 0)
        );
        let reply = next_inbound(&mut inbound, Duration::from_secs(5)).await;
        assert_eq!(
            reply,
            Inbound::Reply {
                from: from.to_owned(),
                text: text.to_owned()
            }
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnects_by_itself_after_the_smsc_restarts() {
    let mut smsc = Smsc::start(&[]).await;
    let (client, mut inbound) = smsc.client().await;
    let first = client.submit(PHONE, "before the crash").await.unwrap();
    receipts_for(&mut inbound, &first.message_ids).await;

    smsc.kill();
    wait_until(Duration::from_secs(5), || !client.is_connected()).await;
    let started = Instant::now();
    let refused = client.submit(PHONE, "while it is down").await;
    assert_eq!(refused, Err(SmsError::NotConnected));
    assert!(started.elapsed() < Duration::from_secs(1), "fails fast");

    tokio::time::sleep(Duration::from_secs(2)).await; // a couple of failed reconnects
    assert_eq!(
        client.submit(PHONE, "still down").await,
        Err(SmsError::NotConnected)
    );
    smsc.restart().await;
    wait_until(Duration::from_secs(30), || client.is_connected()).await;
    let second = client.submit(PHONE, "after the restart").await.unwrap();
    receipts_for(&mut inbound, &second.message_ids).await;
    let texts: Vec<_> = smsc
        .messages()
        .await
        .iter()
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(texts, ["before the crash", "after the restart"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_refused_and_unanswered_numbers() {
    let smsc = Smsc::start(&[
        "--reject-numbers",
        "+79990000001",
        "--refuse-numbers",
        "+79980000001",
        "--silent-numbers",
        "+79970000001",
    ])
    .await;
    let (client, mut inbound) = smsc.client().await;

    // Accepted, then not deliverable: an UNDELIV receipt.
    let undeliverable = client
        .submit("+79990000001", "Ваша заявка принята")
        .await
        .unwrap();
    let receipts = receipts_for(&mut inbound, &undeliverable.message_ids).await;
    assert_eq!(receipts[0].1, "UNDELIV");

    // Refused at submit: the SMSC's status, ESME_RINVDSTADR.
    let refused = client.submit("+79980000001", "hello").await;
    assert_eq!(
        refused,
        Err(SmsError::Rejected {
            command_status: 0x0B
        })
    );

    // Never answered: a timeout after response_timeout_seconds, and the window slot comes back.
    let started = Instant::now();
    assert_eq!(
        client.submit("+79970000001", "hello").await,
        Err(SmsError::Timeout)
    );
    assert!(started.elapsed() >= Duration::from_secs(3));
    assert!(client.submit(PHONE, "still fine").await.is_ok());

    // Not a number: refused before anything is sent.
    assert_eq!(
        client.submit("89221234567", "hello").await,
        Err(SmsError::InvalidNumber("89221234567".to_owned()))
    );
    let texts: Vec<_> = smsc
        .messages()
        .await
        .iter()
        .map(|m| m["to"].clone())
        .collect();
    assert_eq!(texts, ["+79990000001", "+79221234567"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_credentials_keep_retrying_with_growing_delays() {
    let smsc = Smsc::start(&[]).await;
    let mut config = smsc.config();
    config.password = "wrong".to_owned();
    let (client, _inbound) = SmsClient::start(config);

    tokio::time::sleep(Duration::from_millis(7_500)).await;
    assert!(!client.is_connected());
    assert_eq!(client.submit(PHONE, "x").await, Err(SmsError::NotConnected));
    let binds = smsc.binds().await;
    assert!(
        binds
            .iter()
            .all(|b| b["ok"] == false && b["status"] == 0x0E),
        "{binds:?}"
    );
    // Delays of 0.5–1 s, 1–2 s, 2–4 s, 4–8 s: three to five attempts in 7.5 s.
    assert!((3..=5).contains(&binds.len()), "{binds:?}");
    let at: Vec<f64> = binds.iter().map(|b| b["at"].as_f64().unwrap()).collect();
    let gaps: Vec<f64> = at.windows(2).map(|w| w[1] - w[0]).collect();
    eprintln!("bind attempts {}, gaps {gaps:?}", binds.len());
    assert!(gaps[0] >= 0.45, "{gaps:?}");
    for pair in gaps.windows(2) {
        assert!(pair[1] >= pair[0] - 0.1, "delays grow: {gaps:?}");
    }
    assert_eq!(smsc.bound().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_of_one_still_sends_everything_and_dropping_unbinds() {
    let smsc = Smsc::start(&[]).await;
    let mut config = smsc.config();
    config.window = 1;
    let (client, _inbound) = SmsClient::start(config);
    wait_until(Duration::from_secs(10), || client.is_connected()).await;

    let long = "ж".repeat(200); // three parts through a window of one
    let (a, b, c) = tokio::join!(
        client.submit(PHONE, &long),
        client.submit("+79220000002", "two"),
        client.submit("+79220000003", "three"),
    );
    assert_eq!(a.unwrap().segments, 3);
    assert_eq!(b.unwrap().segments, 1);
    assert_eq!(c.unwrap().segments, 1);
    assert_eq!(smsc.messages().await.len(), 3);

    assert_eq!(smsc.bound().await, 1);
    drop(client);
    let deadline = Instant::now() + Duration::from_secs(5);
    while smsc.bound().await != 0 {
        assert!(
            Instant::now() < deadline,
            "the session was not closed on drop"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The simulator takes the next client as before.
    let (client, _inbound) = smsc.client().await;
    assert!(client.submit(PHONE, "again").await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enquire_links_keep_the_session_alive_both_ways() {
    // The client probes a quiet SMSC after `enquire_link_seconds` without traffic...
    let quiet = Smsc::start(&[]).await;
    let mut config = quiet.config();
    config.enquire_link_seconds = 1;
    let (probing, _inbound) = SmsClient::start(config);
    // ...and answers an SMSC that probes it (which drops a client that stays silent).
    let probing_smsc = Smsc::start(&["--enquire-link", "1"]).await;
    let (answering, _inbound2) = SmsClient::start(probing_smsc.config());
    wait_until(Duration::from_secs(10), || {
        probing.is_connected() && answering.is_connected()
    })
    .await;

    tokio::time::sleep(Duration::from_millis(3_500)).await;
    let health = quiet.health().await;
    assert!(
        health["enquire_links_received"].as_u64().unwrap() >= 2,
        "{health}"
    );
    let health = probing_smsc.health().await;
    assert!(
        health["enquire_links_answered"].as_u64().unwrap() >= 2,
        "{health}"
    );
    for smsc in [&quiet, &probing_smsc] {
        assert_eq!(smsc.bound().await, 1);
        assert_eq!(smsc.binds().await.len(), 1, "never reconnected");
    }
    assert!(probing.is_connected() && answering.is_connected());
}
