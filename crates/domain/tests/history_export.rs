//! Signed history exports: a document signed with the server's key verifies; any change to it,
//! to an event, or a different key does not, and the fault says which.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use domain::history_chain::{Digest32, EventContent, event_hash, merkle_proof, merkle_root};
use domain::history_export::{
    EXPORT_FORMAT, ExportFault, ExportedApplicant, ExportedBy, ExportedCheckpoint,
    ExportedComplaint, ExportedEvent, ExportedProofStep, HistoryExport, Signer, SigningKey, sign,
    signing_key_from_hex, signing_key_to_hex, verify_history_export,
};
use serde_json::{Value, json};
use uuid::Uuid;

fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

fn export(signer: &SigningKey) -> HistoryExport {
    let complaint = Uuid::from_u128(42);
    let mut prev = Digest32::ZERO;
    let mut events = Vec::new();
    for n in 0..3u32 {
        let content = EventContent {
            complaint_id: complaint,
            kind: ["registered", "accept", "report_done"][n as usize].to_owned(),
            from_status: (n > 0).then(|| "registered".to_owned()),
            to_status: "in_progress".to_owned(),
            actor_kind: "user".to_owned(),
            actor_id: Some(Uuid::from_u128(7)),
            round: 1,
            at: Utc.with_ymd_and_hms(2026, 12, n + 1, 10, 0, 0).unwrap(),
            payload: json!({ "round": 1, "company_id": null }),
        };
        let hash = event_hash(prev, &content);
        events.push(ExportedEvent::new(
            Uuid::from_u128(100 + u128::from(n)),
            content,
            Some(prev.to_hex()),
            Some(hash.to_hex()),
        ));
        prev = hash;
    }
    // A checkpoint after the second event: the head at its cutoff is that event's hash.
    let at_cutoff: Digest32 = events[1].hash.as_deref().unwrap().parse().unwrap();
    let heads = vec![
        (complaint, at_cutoff),
        (Uuid::from_u128(1), Digest32([9; 32])),
        (Uuid::from_u128(99), Digest32([8; 32])),
    ];
    let proof = merkle_proof(&heads, complaint).unwrap();
    HistoryExport {
        format: EXPORT_FORMAT.to_owned(),
        complaint: ExportedComplaint {
            id: complaint,
            number: "СУР-2026-000042".to_owned(),
            status: "in_progress".to_owned(),
            category: "Протечка кровли".to_owned(),
            address: Some("ул. Ленина, 11".to_owned()),
            company: Some("ООО «УК Северный город»".to_owned()),
            registered_at: events[0].at,
            applicant: ExportedApplicant {
                name: None,
                phone: Some("+7 *** ***-**-01".to_owned()),
                masked: true,
            },
        },
        head: prev.to_hex(),
        events,
        checkpoint: Some(ExportedCheckpoint {
            day: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            cutoff: Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap(),
            root: merkle_root(&heads).to_hex(),
            complaints: 3,
            head: Some(at_cutoff.to_hex()),
            proof: proof
                .iter()
                .map(|s| ExportedProofStep {
                    side: s.side.as_str().to_owned(),
                    sibling: s.sibling.to_hex(),
                })
                .collect(),
            included: true,
        }),
        exported_at: Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap(),
        exported_by: ExportedBy {
            role: "inspector".to_owned(),
            name: Some("Инспектор".to_owned()),
        },
        signer: Signer::of(&signer.verifying_key()),
    }
}

#[test]
fn a_signed_export_verifies_with_its_key_and_the_pinned_one() {
    let server = key(1);
    let file = sign(&export(&server), &server).unwrap();
    let verified = verify_history_export(&file, None).unwrap();
    assert_eq!(verified.head.to_hex(), verified.export.head);
    assert_eq!(verified.key_id, Signer::of(&server.verifying_key()).key_id);
    assert!(verified.checkpoint.is_some(), "the inclusion proof holds");
    // Through text, as a file travels.
    let text = serde_json::to_string_pretty(&file).unwrap();
    let reread: Value = serde_json::from_str(&text).unwrap();
    assert!(verify_history_export(&reread, Some(&server.verifying_key())).is_ok());
}

#[test]
fn any_change_after_signing_breaks_the_signature() {
    let server = key(1);
    let file = sign(&export(&server), &server).unwrap();
    for (path, value) in [
        ("/document/events/1/kind", json!("reject")),
        ("/document/head", json!("00".repeat(32))),
        ("/document/complaint/number", json!("СУР-2026-000043")),
        ("/document/checkpoint", Value::Null),
    ] {
        let mut tampered = file.clone();
        *tampered.pointer_mut(path).unwrap() = value;
        assert_eq!(
            verify_history_export(&tampered, None).unwrap_err(),
            ExportFault::BadSignature,
            "{path}"
        );
    }
}

#[test]
fn a_re_signed_forgery_fails_on_the_chain_or_the_key() {
    let server = key(1);
    // Someone edits an event and signs with their own key: the pinned key refuses it.
    let mut forged = export(&server);
    forged.events[1].kind = "reject".to_owned();
    let impostor = key(2);
    forged.signer = Signer::of(&impostor.verifying_key());
    let file = sign(&forged, &impostor).unwrap();
    assert!(matches!(
        verify_history_export(&file, Some(&server.verifying_key())).unwrap_err(),
        ExportFault::WrongKey { .. }
    ));
    // Even with a valid signature, the edited event no longer hashes to its stored hash.
    match verify_history_export(&file, None).unwrap_err() {
        ExportFault::Chain(broken) => {
            assert_eq!(broken.position, 1);
            assert_eq!(broken.why.as_str(), "content_mismatch");
        }
        other => panic!("{other}"),
    }
    // A dropped event breaks the links.
    let mut dropped = export(&server);
    dropped.events.remove(1);
    let file = sign(&dropped, &server).unwrap();
    assert!(matches!(
        verify_history_export(&file, None).unwrap_err(),
        ExportFault::Chain(_)
    ));
    // A checkpoint root that is not the one the proof leads to.
    let mut wrong_root = export(&server);
    wrong_root.checkpoint.as_mut().unwrap().root = "11".repeat(32);
    let file = sign(&wrong_root, &server).unwrap();
    assert!(matches!(
        verify_history_export(&file, None).unwrap_err(),
        ExportFault::Checkpoint(_)
    ));
    // The signer named inside must be the key that signed.
    let mut misnamed = export(&server);
    misnamed.signer = Signer::of(&impostor.verifying_key());
    let file = sign(&misnamed, &server).unwrap();
    assert!(matches!(
        verify_history_export(&file, None).unwrap_err(),
        ExportFault::Malformed(_)
    ));
}

#[test]
fn keys_round_trip_through_hex_and_garbage_is_refused() {
    let k = key(7);
    let back = signing_key_from_hex(&signing_key_to_hex(&k)).unwrap();
    assert_eq!(back.to_bytes(), k.to_bytes());
    assert!(signing_key_from_hex("nothex").is_none());
    for garbage in [
        json!({}),
        json!({"document": {}}),
        json!([1, 2]),
        json!({"document": {}, "signature": {"algorithm": "RSA"}}),
    ] {
        assert!(matches!(
            verify_history_export(&garbage, None).unwrap_err(),
            ExportFault::Malformed(_)
        ));
    }
}
