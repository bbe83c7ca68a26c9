//! The .docx package: finishing touches docx-rs cannot make, the document
//! properties, and writing the parts into a compressed zip.

use super::*;

/// The row height docx-rs writes for header rows, so they can be found and
/// marked as repeating header rows once the XML is built.
pub(super) const HEADER_ROW_MARKER: f32 = 1.0;
pub(super) const HEADER_ROW_MARKER_XML: &str = r#"<w:trHeight w:val="1" w:hRule="atLeast" />"#;
pub(super) const TABLE_HEADER_XML: &str = "<w:tblHeader />";

/// Marks every table's header row as a header row that repeats at the top of
/// each page (`<w:tblHeader/>`). Screen readers and Word's accessibility
/// checker also use it to tell header cells from data.
///
/// docx-rs 0.4.22 has no setter for `w:tblHeader`, and its row properties
/// only serialise `w:cantSplit`, `w:trHeight` and revision marks. So header
/// rows are built with a sentinel minimum height of one twip (harmless if
/// left in place), and here, in the built document XML, each sentinel
/// `w:trHeight` becomes `w:tblHeader`. Only row properties can produce the
/// sentinel: user text is escaped, so it cannot contain `<w:trHeight`. The
/// number of replacements must match the header rows written.
pub(super) fn mark_repeating_header_rows(
    document: &[u8],
    expected: usize,
) -> Result<Vec<u8>, RenderError> {
    let xml = std::str::from_utf8(document)
        .map_err(|_| RenderError::UnexpectedXml("document.xml is not UTF-8"))?;
    let found = xml.matches(HEADER_ROW_MARKER_XML).count();
    if found != expected {
        return Err(RenderError::UnexpectedXml(
            "header row markers do not match the header rows written",
        ));
    }
    Ok(xml
        .replace(HEADER_ROW_MARKER_XML, TABLE_HEADER_XML)
        .into_bytes())
}

/// Sets British English as the language of all text, in the document
/// defaults (`<w:lang w:val="en-GB"/>`), so spelling checks and screen
/// readers use it. docx-rs 0.4.22 has no setter for `w:lang`; its default run
/// properties end with `</w:rPr></w:rPrDefault>`, and `w:lang` belongs after
/// the font and size it writes there.
pub(super) fn set_default_language(styles: &[u8]) -> Result<Vec<u8>, RenderError> {
    const END_OF_DEFAULT_RUN_PROPERTIES: &str = "</w:rPr></w:rPrDefault>";
    let xml = std::str::from_utf8(styles)
        .map_err(|_| RenderError::UnexpectedXml("styles.xml is not UTF-8"))?;
    if xml.matches(END_OF_DEFAULT_RUN_PROPERTIES).count() != 1 {
        return Err(RenderError::UnexpectedXml(
            "styles.xml has no single default run properties element",
        ));
    }
    Ok(xml
        .replacen(
            END_OF_DEFAULT_RUN_PROPERTIES,
            concat!(
                r#"<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA" />"#,
                "</w:rPr></w:rPrDefault>"
            ),
            1,
        )
        .into_bytes())
}

/// The document properties (docProps/core.xml): title, subject, author (the
/// secretariat organisation), creation time, language and status. docx-rs
/// 0.4.22 only sets the creation and modification times, so the whole part
/// is written here.
pub(super) fn core_properties(note: &NoteDocument, title: &str) -> Vec<u8> {
    let created = note.created.to_rfc3339_opts(SecondsFormat::Secs, true);
    let author = xml_escape(&one_line(&note.author));
    let subject = xml_escape(&format!(
        "Summary note of the {}",
        one_line(&note.group_name)
    ));
    let revision = note.version.unwrap_or(1);
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title>",
            "<dc:subject>{subject}</dc:subject>",
            "<dc:creator>{author}</dc:creator>",
            "<dc:language>en-GB</dc:language>",
            "<cp:lastModifiedBy>{author}</cp:lastModifiedBy>",
            "<cp:revision>{revision}</cp:revision>",
            "<cp:contentStatus>{status}</cp:contentStatus>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{created}</dcterms:modified>"#,
            "</cp:coreProperties>"
        ),
        title = xml_escape(title),
        subject = subject,
        author = author,
        revision = revision,
        status = content_status(&note.status),
        created = created,
    )
    .into_bytes()
}

pub(super) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Marks "Normal" as the default paragraph style (`w:default="1"`), so that
/// Word, LibreOffice and screen readers treat unstyled paragraphs as body
/// text. docx-rs writes the Normal style without it.
pub(super) fn mark_normal_as_default(styles: &[u8]) -> Result<Vec<u8>, RenderError> {
    const NORMAL: &str = r#"<w:style w:type="paragraph" w:styleId="Normal">"#;
    let xml = std::str::from_utf8(styles)
        .map_err(|_| RenderError::UnexpectedXml("styles.xml is not UTF-8"))?;
    if xml.matches(NORMAL).count() != 1 {
        return Err(RenderError::UnexpectedXml(
            "styles.xml has no single Normal style",
        ));
    }
    Ok(xml
        .replacen(
            NORMAL,
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal">"#,
            1,
        )
        .into_bytes())
}

/// `addition` written just before the single `end` of a part.
fn insert_before(part: &[u8], end: &str, addition: &str) -> Result<Vec<u8>, RenderError> {
    let xml = std::str::from_utf8(part)
        .map_err(|_| RenderError::UnexpectedXml("a package part is not UTF-8"))?;
    let at = xml.rfind(end).ok_or(RenderError::UnexpectedXml(
        "a package part lacks its end tag",
    ))?;
    let mut out = String::with_capacity(xml.len() + addition.len());
    out.push_str(&xml[..at]);
    out.push_str(addition);
    out.push_str(&xml[at..]);
    Ok(out.into_bytes())
}

/// The document's theme. The schema requires a main document to have one
/// (docx-rs writes none); ours names the house colours and Arial, so that
/// Word's theme colours and fonts match the note's.
const THEME: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="minutebook">"#,
    r#"<a:themeElements><a:clrScheme name="minutebook">"#,
    r#"<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>"#,
    r#"<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>"#,
    r#"<a:dk2><a:srgbClr val="1F3864"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2>"#,
    r#"<a:accent1><a:srgbClr val="2F5496"/></a:accent1><a:accent2><a:srgbClr val="8EA9DB"/></a:accent2>"#,
    r#"<a:accent3><a:srgbClr val="D9E2F3"/></a:accent3><a:accent4><a:srgbClr val="C00000"/></a:accent4>"#,
    r#"<a:accent5><a:srgbClr val="595959"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6>"#,
    r#"<a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink>"#,
    r#"</a:clrScheme><a:fontScheme name="minutebook">"#,
    r#"<a:majorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>"#,
    r#"<a:minorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont>"#,
    r#"</a:fontScheme><a:fmtScheme name="minutebook"><a:fillStyleLst>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"</a:fillStyleLst><a:lnStyleLst>"#,
    r#"<a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#,
    r#"<a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#,
    r#"<a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#,
    r#"</a:lnStyleLst><a:effectStyleLst>"#,
    r#"<a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle>"#,
    r#"<a:effectStyle><a:effectLst/></a:effectStyle>"#,
    r#"</a:effectStyleLst><a:bgFillStyleLst>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"</a:bgFillStyleLst></a:fmtScheme></a:themeElements>"#,
    r#"<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"#,
);

/// Writes the package: every WordprocessingML part put into schema order
/// (see [`schema_order`]), every entry deflated. docx-rs stores entries
/// uncompressed, which makes a two-page note a 50 KB download instead of
/// about 12 KB. Entries carry the zip format's fixed earliest date, so the
/// same note always gives the same bytes.
pub(super) fn pack(xml: docx_rs::XMLDocx) -> Result<Vec<u8>, RenderError> {
    use std::io::Write;
    use zip::CompressionMethod;
    use zip::write::SimpleFileOptions;

    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        // The fastest level: it keeps the large note's render within its
        // time budget, and the package is still a tenth of its stored size.
        .compression_level(Some(1));
    let package_error = |e: zip::result::ZipError| RenderError::Package(std::io::Error::other(e));
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(16 * 1024)));
    let mut entry = |name: &str, bytes: &[u8], ordered: bool| -> Result<(), RenderError> {
        zip.start_file(name, options).map_err(package_error)?;
        let written = if ordered {
            zip.write_all(&schema_order(bytes)?)
        } else {
            zip.write_all(bytes)
        };
        written.map_err(RenderError::Package)
    };
    let content_types = insert_before(
        &xml.content_type,
        "</Types>",
        r#"<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml" />"#,
    )?;
    let document_rels = insert_before(
        &xml.document_rels,
        "</Relationships>",
        r#"<Relationship Id="rIdTheme1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml" />"#,
    )?;
    entry("[Content_Types].xml", &content_types, false)?;
    entry("_rels/.rels", &xml.rels, false)?;
    entry("docProps/app.xml", &xml.doc_props.app, false)?;
    entry("docProps/core.xml", &xml.doc_props.core, false)?;
    entry("docProps/custom.xml", &xml.doc_props.custom, false)?;
    entry("word/_rels/document.xml.rels", &document_rels, false)?;
    entry("word/document.xml", &xml.document, true)?;
    entry("word/styles.xml", &xml.styles, true)?;
    entry("word/settings.xml", &xml.settings, true)?;
    entry("word/fontTable.xml", &xml.font_table, true)?;
    entry("word/comments.xml", &xml.comments, true)?;
    entry("word/numbering.xml", &xml.numberings, true)?;
    entry("word/commentsExtended.xml", &xml.comments_extended, true)?;
    entry("word/footnotes.xml", &xml.footnotes, true)?;
    entry("word/theme/theme1.xml", THEME.as_bytes(), false)?;
    for (i, header) in xml.headers.iter().enumerate() {
        entry(&format!("word/header{}.xml", i + 1), header, true)?;
        if let Some(rels) = xml.header_rels.get(i) {
            entry(&format!("word/_rels/header{}.xml.rels", i + 1), rels, false)?;
        }
    }
    for (i, footer) in xml.footers.iter().enumerate() {
        entry(&format!("word/footer{}.xml", i + 1), footer, true)?;
        if let Some(rels) = xml.footer_rels.get(i) {
            entry(&format!("word/_rels/footer{}.xml.rels", i + 1), rels, false)?;
        }
    }
    Ok(zip.finish().map_err(package_error)?.into_inner())
}
