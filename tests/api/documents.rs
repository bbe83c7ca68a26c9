//! The summary note as its readers' tools hold it: every rendition valid Office
//! Open XML by `openxml-audit` (the ECMA-376 schemas, Office 2019 profile), and
//! no page of the LibreOffice-rendered PDF ending with a heading or a presenter
//! line.
//!
//! These tests need `openxml-audit` (PyPI) and LibreOffice with poppler
//! (`soffice`, `pdftotext`). Without them they print a notice and pass, so that
//! `cargo test` works on a fresh machine; with `MINUTEBOOK_REQUIRE_TOOLS=1` (as CI
//! sets it) they fail instead.

use std::path::{Path, PathBuf};
use std::process::Command;

use minutebook::notes::model::{Audience, NoteDocument, NoteStatus};
use minutebook::notes::render::render;
use serde_json::Value;

use crate::notes::{scene, styled};

#[path = "../support/large_note.rs"]
mod large_note;

/// Whether every tool is on the `PATH`; if not, a notice (or, with
/// `MINUTEBOOK_REQUIRE_TOOLS=1`, a failure) naming what to install.
fn tools_available(tools: &[&str], install: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|tool| !std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var("MINUTEBOOK_REQUIRE_TOOLS").as_deref() == Ok("1") {
        panic!(
            "MINUTEBOOK_REQUIRE_TOOLS=1 but {} not found: {install}",
            missing.join(", ")
        );
    }
    // Straight to the process's standard error, past the harness's capture, so
    // that the skip shows in a plain `cargo test`.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "NOTICE: document test skipped: {} not found ({install} to run it)",
        missing.join(", ")
    );
    false
}

const AUDIT_INSTALL: &str = "pip install openxml-audit";
const OFFICE_INSTALL: &str =
    "apt-get install -y libreoffice-writer-nogui poppler-utils fonts-liberation";

/// The schema errors `openxml-audit` finds in a .docx, as "part: message" lines.
fn audit(file: &Path) -> Vec<String> {
    let output = Command::new("openxml-audit")
        .arg(file)
        .args(["-f", "office2019", "-o", "json", "-m", "0"])
        .output()
        .expect("openxml-audit runs");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "openxml-audit gave no JSON for {} ({e}): {}{}",
            file.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let errors = report["errors"]
        .as_array()
        .or_else(|| report[0]["errors"].as_array())
        .cloned()
        .unwrap_or_default();
    let mut found: Vec<String> = errors
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e["part"].as_str().or(e["part_uri"].as_str()).unwrap_or("?"),
                e["description"]
                    .as_str()
                    .or(e["message"].as_str())
                    .unwrap_or(&e.to_string())
            )
        })
        .collect();
    let valid = report["is_valid"]
        .as_bool()
        .or_else(|| report[0]["is_valid"].as_bool());
    if found.is_empty() && valid == Some(false) {
        found.push(format!("reported invalid: {report}"));
    }
    found
}

/// The renditions of the large note each audience receives.
fn large_renditions() -> Vec<(&'static str, NoteDocument)> {
    let public = large_note::large_note();
    let mut members = public.clone();
    members.audience = Audience::Members;
    let mut members_draft = members.clone();
    members_draft.status = NoteStatus::Draft;
    members_draft.draft_marking = true;
    members_draft.version = None;
    let mut secretariat = members_draft.clone();
    secretariat.audience = Audience::Secretariat;
    secretariat.includes_reserved = true;
    let mut unheld = members_draft.clone();
    unheld.held = false;
    vec![
        ("large-public", public),
        ("large-members", members),
        ("large-members-draft", members_draft),
        ("large-secretariat-draft", secretariat),
        ("large-unheld-draft", unheld),
    ]
}

#[tokio::test]
async fn every_rendition_is_valid_office_open_xml() {
    if !tools_available(&["openxml-audit"], AUDIT_INSTALL) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = Vec::new();
    for (name, note) in large_renditions() {
        let file = dir.path().join(format!("{name}.docx"));
        let docx = render(&note).unwrap();
        crate::notes::keep_for_inspection(&format!("{name}.docx"), &docx);
        std::fs::write(&file, docx).unwrap();
        files.push(file);
    }
    // A realistic note through the API: each audience's preview and a
    // published version.
    let s = scene().await;
    s.approved_note().await;
    for audience in ["public", "members", "secretariat"] {
        let file = dir.path().join(format!("preview-{audience}.docx"));
        std::fs::write(&file, s.preview(audience).await).unwrap();
        files.push(file);
    }
    let published = s.publish("members").await;
    let url = published["document_url"].as_str().unwrap();
    let file = dir.path().join("published-members.docx");
    std::fs::write(&file, s.app.get(url).await.expect(200).body).unwrap();
    files.push(file);

    let mut report = Vec::new();
    for file in &files {
        let errors = audit(file);
        if !errors.is_empty() {
            report.push(format!(
                "{}: {} schema errors\n  {}",
                file.display(),
                errors.len(),
                errors.join("\n  ")
            ));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// Converts .docx files to PDF with LibreOffice, in a private profile.
fn to_pdf(files: &[PathBuf], outdir: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(outdir)
        .args(files)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "{status:?}");
}

/// The text of each page of a PDF, as lines.
fn pages(pdf: &Path) -> Vec<Vec<String>> {
    let output = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&output.stdout)
        .split('\u{c}')
        .map(|page| {
            page.lines()
                .map(normalise)
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|page| !page.is_empty())
        .collect()
}

fn normalise(text: &str) -> String {
    text.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Long notes that break across pages in many different places: the large
/// note with one to six discussion points per item, some items without a
/// summary, and some presenters who sent apologies.
fn long_notes() -> Vec<(String, NoteDocument)> {
    (1..=6)
        .map(|points| {
            let mut note = large_note::large_note();
            note.audience = Audience::Members;
            for (i, item) in note.items.iter_mut().enumerate() {
                item.discussion.truncate(points + i % 3);
                if (i + points) % 4 == 0 {
                    item.summary = None;
                }
                if (i + points) % 5 == 0 {
                    item.presenter_missing = Some(minutebook::notes::model::Missing::Apologies);
                }
                if i % 2 == 1 {
                    item.officials_response = None;
                }
            }
            note.actions.truncate(5 * points);
            (format!("long-{points}"), note)
        })
        .collect()
}

#[tokio::test]
async fn no_page_ends_with_a_heading_or_a_presenter_line() {
    if !tools_available(&["soffice", "pdftotext"], OFFICE_INSTALL) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut notes = long_notes();
    // A realistic note through the API as well, with its members' preview.
    let s = scene().await;
    s.approved_note().await;
    let preview = s.preview("members").await;

    let mut files = Vec::new();
    let mut stranded_texts = Vec::new();
    for (name, note) in notes.drain(..) {
        let file = dir.path().join(format!("{name}.docx"));
        let docx = render(&note).unwrap();
        crate::notes::keep_for_inspection(&format!("{name}.docx"), &docx);
        std::fs::write(&file, docx).unwrap();
        files.push(file);
    }
    let file = dir.path().join("preview-members.docx");
    std::fs::write(&file, &preview).unwrap();
    files.push(file);
    to_pdf(&files, dir.path());

    let mut breaks = 0;
    for file in &files {
        let docx = std::fs::read(file).unwrap();
        // What must never end a page: every heading, and every presenter line.
        let mut endings: Vec<String> = ["Title", "Heading1", "Heading2", "Heading3"]
            .iter()
            .flat_map(|style| styled(&docx, style))
            .map(|h| normalise(&h))
            .collect();
        endings.extend(
            crate::notes::text(&docx)
                .lines()
                .filter(|l| l.starts_with("Presented by") || l.contains("was to present this item"))
                .map(normalise),
        );
        let pdf = file.with_extension("pdf");
        let pages = pages(&pdf);
        assert!(
            pages.len() > 1 || file.ends_with("preview-members.docx"),
            "{}",
            pdf.display()
        );
        for (number, page) in pages.iter().enumerate().take(pages.len().saturating_sub(1)) {
            breaks += 1;
            // The footer ("… Summary note, meeting 5 Page 2 of 7") is not the page's text.
            let last = page
                .iter()
                .rev()
                .find(|line| !line.contains("Summary note, meeting") && !is_page_number(line))
                .cloned()
                .unwrap_or_default();
            if last.chars().count() >= 3 && endings.iter().any(|e| e.ends_with(&last) || e == &last)
            {
                stranded_texts.push(format!(
                    "{} page {}: ends with {last:?}",
                    pdf.display(),
                    number + 1
                ));
            }
        }
    }
    assert!(
        breaks >= 20,
        "the notes break across pages often enough ({breaks})"
    );
    assert!(stranded_texts.is_empty(), "{}", stranded_texts.join("\n"));
}

fn is_page_number(line: &str) -> bool {
    let words: Vec<&str> = line.split(' ').collect();
    matches!(words.as_slice(), ["Page", n, "of", m] if n.parse::<u32>().is_ok() && m.parse::<u32>().is_ok())
}

#[tokio::test]
async fn the_demonstration_notes_read_like_real_ones() {
    let app = crate::helpers::spawn_app().await;
    minutebook::demo::seed(&app.db)
        .await
        .expect("the demonstration data seeds");
    let list = app
        .get("/api/v1/summary-notes?limit=50")
        .await
        .expect(200)
        .json();
    let notes = crate::helpers::items(&list);
    assert!(notes.len() >= 6, "{list}");
    for note in notes {
        let url = note["current_version"]["document_url"].as_str().unwrap();
        let docx = app.get(url).await.expect(200).body;
        crate::notes::keep_for_inspection(
            note["current_version"]["file_name"]
                .as_str()
                .unwrap_or("demo.docx"),
            &docx,
        );
        let t = crate::notes::text(&docx);
        for careless in [
            "To discuss quarterly",
            "sig's",
            " rr3",
            "circulate this note",
            "was to present this item",
        ] {
            assert!(!t.contains(careless), "{careless:?} in {t}");
        }
        // Every point is the note's own: no bullet repeated from item to item.
        let bullets = styled(&docx, "ListBullet");
        let distinct: std::collections::HashSet<&String> = bullets.iter().collect();
        assert_eq!(distinct.len(), bullets.len(), "{bullets:?}");
        assert!(bullets.len() >= 6, "{t}");
    }
}
