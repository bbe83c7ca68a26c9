//! Schema order for every XML part of the package, in one place.
//!
//! ECMA-376 declares most WordprocessingML property elements (`w:pPr`,
//! `w:rPr`, `w:tblPr`, `w:tcPr`, `w:sectPr`, `w:numPr`, a style, a numbering
//! level, the settings…) as sequences: their children must come in the order
//! the schema lists them. docx-rs 0.4.22 writes many of them in the order its
//! builder methods were called, or in an order of its own (`w:ilvl` after
//! `w:numId`, `w:pStyle` after `w:keepNext`, `w:tblInd` before
//! `w:tblBorders`…). Word silently drops run properties that come out of
//! order, and Word for the web opens such a package read-only as corrupt.
//!
//! Rather than fix each element where it is made, every part passes once
//! through [`schema_order`] before it is packed: a single streaming pass that,
//! for each element whose children the schema orders, sorts those children
//! (stably) by their place in the schema's sequence. Elements the table below
//! does not name keep the order they were written in; so does the content of
//! a paragraph or a run (text, breaks, fields), which is never sorted. The
//! same pass drops the few attributes docx-rs writes that the schema does not
//! declare.
//!
//! The order tables follow the transitional schema (wml.xsd) of ECMA-376, 5th
//! edition, which the Office 2019 profile of validators checks.

use super::RenderError;

/// Children of an element, in the order the schema's sequence gives them.
/// A child not listed sorts after all listed ones, in the order written.
struct Order {
    parent: &'static str,
    children: &'static [&'static str],
}

/// The run properties (`CT_RPr`, and `CT_ParaRPr` for a paragraph mark,
/// which starts with the revision marks).
const RUN_PROPERTIES: &[&str] = &[
    "w:ins",
    "w:del",
    "w:moveFrom",
    "w:moveTo",
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
    "w:rPrChange",
];

/// `CT_PPr` (and `CT_PPrBase`, its first part, in styles and numbering).
const PARAGRAPH_PROPERTIES: &[&str] = &[
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
];

/// Four sides and the inner lines, as borders and cell margins list them.
const SIDES: &[&str] = &[
    "w:top",
    "w:left",
    "w:start",
    "w:bottom",
    "w:right",
    "w:end",
    "w:between",
    "w:bar",
    "w:insideH",
    "w:insideV",
    "w:tl2br",
    "w:tr2bl",
];

const ORDERS: &[Order] = &[
    Order {
        parent: "w:rPr",
        children: RUN_PROPERTIES,
    },
    Order {
        parent: "w:pPr",
        children: PARAGRAPH_PROPERTIES,
    },
    Order {
        parent: "w:numPr",
        children: &["w:ilvl", "w:numId", "w:numberingChange", "w:ins"],
    },
    Order {
        parent: "w:pBdr",
        children: SIDES,
    },
    Order {
        parent: "w:tblBorders",
        children: SIDES,
    },
    Order {
        parent: "w:tcBorders",
        children: SIDES,
    },
    Order {
        parent: "w:tblCellMar",
        children: SIDES,
    },
    Order {
        parent: "w:tcMar",
        children: SIDES,
    },
    Order {
        parent: "w:tblPr",
        children: &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
            "w:tblCaption",
            "w:tblDescription",
            "w:tblPrChange",
        ],
    },
    // `CT_TrPr` is a free choice of its properties, then revision marks.
    Order {
        parent: "w:trPr",
        children: &["w:ins", "w:del", "w:trPrChange"],
    },
    Order {
        parent: "w:tcPr",
        children: &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
            "w:headers",
            "w:cellIns",
            "w:cellDel",
            "w:cellMerge",
            "w:tcPrChange",
        ],
    },
    Order {
        parent: "w:tbl",
        children: &["w:tblPr", "w:tblGrid"],
    },
    Order {
        parent: "w:sectPr",
        children: &[
            "w:headerReference",
            "w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
            "w:sectPrChange",
        ],
    },
    Order {
        parent: "w:style",
        children: &[
            "w:name",
            "w:aliases",
            "w:basedOn",
            "w:next",
            "w:link",
            "w:autoRedefine",
            "w:hidden",
            "w:uiPriority",
            "w:semiHidden",
            "w:unhideWhenUsed",
            "w:qFormat",
            "w:locked",
            "w:personal",
            "w:personalCompose",
            "w:personalReply",
            "w:rsid",
            "w:pPr",
            "w:rPr",
            "w:tblPr",
            "w:trPr",
            "w:tcPr",
            "w:tblStylePr",
        ],
    },
    Order {
        parent: "w:styles",
        children: &["w:docDefaults", "w:latentStyles", "w:style"],
    },
    Order {
        parent: "w:docDefaults",
        children: &["w:rPrDefault", "w:pPrDefault"],
    },
    Order {
        parent: "w:lvl",
        children: &[
            "w:start",
            "w:numFmt",
            "w:lvlRestart",
            "w:pStyle",
            "w:isLgl",
            "w:suff",
            "w:lvlText",
            "w:lvlPicBulletId",
            "w:legacy",
            "w:lvlJc",
            "w:pPr",
            "w:rPr",
        ],
    },
    Order {
        parent: "w:abstractNum",
        children: &[
            "w:nsid",
            "w:multiLevelType",
            "w:tmpl",
            "w:name",
            "w:styleLink",
            "w:numStyleLink",
            "w:lvl",
        ],
    },
    Order {
        parent: "w:numbering",
        children: &[
            "w:numPicBullet",
            "w:abstractNum",
            "w:num",
            "w:numIdMacAtCleanup",
        ],
    },
    Order {
        parent: "w:num",
        children: &["w:abstractNumId", "w:lvlOverride"],
    },
    Order {
        parent: "w:settings",
        children: &[
            "w:writeProtection",
            "w:view",
            "w:zoom",
            "w:removePersonalInformation",
            "w:removeDateAndTime",
            "w:doNotDisplayPageBoundaries",
            "w:displayBackgroundShape",
            "w:printPostScriptOverText",
            "w:printFractionalCharacterWidth",
            "w:printFormsData",
            "w:embedTrueTypeFonts",
            "w:embedSystemFonts",
            "w:saveSubsetFonts",
            "w:saveFormsData",
            "w:mirrorMargins",
            "w:alignBordersAndEdges",
            "w:bordersDoNotSurroundHeader",
            "w:bordersDoNotSurroundFooter",
            "w:gutterAtTop",
            "w:hideSpellingErrors",
            "w:hideGrammaticalErrors",
            "w:activeWritingStyle",
            "w:proofState",
            "w:formsDesign",
            "w:attachedTemplate",
            "w:linkStyles",
            "w:stylePaneFormatFilter",
            "w:stylePaneSortMethod",
            "w:documentType",
            "w:mailMerge",
            "w:revisionView",
            "w:trackRevisions",
            "w:doNotTrackMoves",
            "w:doNotTrackFormatting",
            "w:documentProtection",
            "w:autoFormatOverride",
            "w:styleLockTheme",
            "w:styleLockQFSet",
            "w:defaultTabStop",
            "w:autoHyphenation",
            "w:consecutiveHyphenLimit",
            "w:hyphenationZone",
            "w:doNotHyphenateCaps",
            "w:showEnvelope",
            "w:summaryLength",
            "w:clickAndTypeStyle",
            "w:defaultTableStyle",
            "w:evenAndOddHeaders",
            "w:bookFoldRevPrinting",
            "w:bookFoldPrinting",
            "w:bookFoldPrintingSheets",
            "w:drawingGridHorizontalSpacing",
            "w:drawingGridVerticalSpacing",
            "w:displayHorizontalDrawingGridEvery",
            "w:displayVerticalDrawingGridEvery",
            "w:doNotUseMarginsForDrawingGridOrigin",
            "w:drawingGridHorizontalOrigin",
            "w:drawingGridVerticalOrigin",
            "w:doNotShadeFormData",
            "w:noPunctuationKerning",
            "w:characterSpacingControl",
            "w:printTwoOnOne",
            "w:strictFirstAndLastChars",
            "w:noLineBreaksAfter",
            "w:noLineBreaksBefore",
            "w:savePreviewPicture",
            "w:doNotValidateAgainstSchema",
            "w:saveInvalidXml",
            "w:ignoreMixedContent",
            "w:alwaysShowPlaceholderText",
            "w:doNotDemarcateInvalidXml",
            "w:saveXmlDataOnly",
            "w:useXSLTWhenSaving",
            "w:saveThroughXslt",
            "w:showXMLTags",
            "w:alwaysMergeEmptyNamespace",
            "w:updateFields",
            "w:hdrShapeDefaults",
            "w:footnotePr",
            "w:endnotePr",
            "w:compat",
            "w:docVars",
            "w:rsids",
            "m:mathPr",
            "w:attachedSchema",
            "w:themeFontLang",
            "w:clrSchemeMapping",
            "w:doNotIncludeSubdocsInStats",
            "w:doNotAutoCompressPictures",
            "w:forceUpgrade",
            "w:captions",
            "w:readModeInkLockDown",
            "w:smartTagType",
            "sl:schemaLibrary",
            "w:shapeDefaults",
            "w:doNotEmbedSmartTags",
            "w:decimalSymbol",
            "w:listSeparator",
        ],
    },
    // Properties come first in a paragraph, run, table row and cell; the
    // content after them keeps its order.
    Order {
        parent: "w:p",
        children: &["w:pPr"],
    },
    Order {
        parent: "w:r",
        children: &["w:rPr"],
    },
    Order {
        parent: "w:tr",
        children: &["w:tblPrEx", "w:trPr"],
    },
    Order {
        parent: "w:tc",
        children: &["w:tcPr"],
    },
];

/// Elements docx-rs writes where the schema has no place for them, as
/// (element, its parent, the parent's parent): an empty `w:rPr` inside the
/// paragraph properties of a style, a numbering level or the document
/// defaults, whose `CT_PPrGeneral` has no run properties. They are dropped
/// when empty; one with content is an error, not a silent loss.
const MISPLACED: &[(&str, &str, &str)] = &[
    ("w:rPr", "w:pPr", "w:style"),
    ("w:rPr", "w:pPr", "w:lvl"),
    ("w:rPr", "w:pPr", "w:pPrDefault"),
];

/// Attributes docx-rs writes that the schema does not declare on an element.
const UNDECLARED_ATTRIBUTES: &[(&str, &str)] = &[("w:gridCol", "w:type")];

fn order_of(element: &str) -> Option<&'static [&'static str]> {
    ORDERS
        .iter()
        .find(|order| order.parent == element)
        .map(|order| order.children)
}

/// The place of `child` in its parent's sequence; unlisted children sort last.
fn rank(order: &[&str], child: &str) -> usize {
    order
        .iter()
        .position(|&name| name == child)
        .unwrap_or(order.len())
}

/// An element being read, with what reordering its children needs.
struct Open<'a> {
    name: &'a str,
    /// Where its start tag begins in the output.
    start: usize,
    /// Where its content begins in the output.
    content: usize,
    order: Option<&'static [&'static str]>,
    /// Where its children begin in the shared list of (rank, start, end)
    /// spans: an element's children are the spans pushed while it is open.
    first_child: usize,
}

/// One XML part with the children of every element the schema orders in
/// schema order, and undeclared attributes dropped. Parts are as docx-rs
/// writes them: UTF-8, no DTD, no CDATA.
pub(super) fn schema_order(xml: &[u8]) -> Result<Vec<u8>, RenderError> {
    let xml =
        std::str::from_utf8(xml).map_err(|_| RenderError::UnexpectedXml("a part is not UTF-8"))?;
    let mut out = String::with_capacity(xml.len() + 64);
    let mut stack: Vec<Open> = Vec::with_capacity(32);
    // One list for the children of every open ordered element, so that no
    // element allocates its own.
    let mut children: Vec<(usize, usize, usize)> = Vec::with_capacity(64);
    let mut scratch = String::new();
    let mut at = 0;
    while at < xml.len() {
        let Some(lt) = xml[at..].find('<').map(|i| at + i) else {
            out.push_str(&xml[at..]);
            break;
        };
        out.push_str(&xml[at..lt]);
        let rest = &xml[lt..];
        if rest.starts_with("<?") || rest.starts_with("<!") {
            let end = rest
                .find('>')
                .ok_or(RenderError::UnexpectedXml("unterminated declaration"))?;
            out.push_str(&rest[..=end]);
            at = lt + end + 1;
            continue;
        }
        let end = tag_end(rest).ok_or(RenderError::UnexpectedXml("unterminated tag"))?;
        let tag = &rest[..=end];
        at = lt + end + 1;
        if let Some(name) = tag.strip_prefix("</") {
            let name = name.trim_end_matches('>').trim();
            let open = stack
                .pop()
                .filter(|open| open.name == name)
                .ok_or(RenderError::UnexpectedXml("mismatched end tag"))?;
            if open.order.is_some() {
                reorder(
                    &mut out,
                    open.content,
                    &children[open.first_child..],
                    &mut scratch,
                )?;
            }
            children.truncate(open.first_child);
            out.push_str(tag);
            if misplaced(&stack, open.name) {
                if !out[open.content..out.len() - tag.len()].trim().is_empty() {
                    return Err(RenderError::UnexpectedXml(
                        "run properties with content where the schema allows none",
                    ));
                }
                out.truncate(open.start);
                continue;
            }
            note_child(&stack, &mut children, open.name, open.start, out.len());
            continue;
        }
        let empty = tag.ends_with("/>");
        let inner = tag[1..tag.len() - if empty { 2 } else { 1 }].trim_end();
        let name_end = inner
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(inner.len());
        let name = &inner[..name_end];
        let start = out.len();
        write_start_tag(&mut out, tag, name, &inner[name_end..], empty);
        if empty {
            if misplaced(&stack, name) {
                out.truncate(start);
            } else {
                note_child(&stack, &mut children, name, start, out.len());
            }
        } else {
            let order = order_of(name);
            stack.push(Open {
                name,
                start,
                content: out.len(),
                order,
                first_child: children.len(),
            });
        }
    }
    if !stack.is_empty() {
        return Err(RenderError::UnexpectedXml("unclosed element"));
    }
    Ok(out.into_bytes())
}

/// Whether `name`, about to close inside the elements on `stack`, is one the
/// schema has no place for there.
fn misplaced(stack: &[Open], name: &str) -> bool {
    let [.., grandparent, parent] = stack else {
        return false;
    };
    MISPLACED
        .iter()
        .any(|&(e, p, g)| e == name && p == parent.name && g == grandparent.name)
}

/// The index of the `>` that ends the tag `rest` starts with, skipping any
/// `>` inside quoted attribute values.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote = None;
    for (i, b) in rest.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Copies a start tag, without the attributes the schema does not declare on
/// the element.
fn write_start_tag(out: &mut String, tag: &str, name: &str, attributes: &str, empty: bool) {
    if !UNDECLARED_ATTRIBUTES
        .iter()
        .any(|(element, _)| *element == name)
    {
        out.push_str(tag);
        return;
    }
    let dropped: Vec<&str> = UNDECLARED_ATTRIBUTES
        .iter()
        .filter(|(element, _)| *element == name)
        .map(|(_, attribute)| *attribute)
        .collect();
    out.push('<');
    out.push_str(name);
    let mut rest = attributes.trim_start();
    while let Some(eq) = rest.find('=') {
        let attribute = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let Some(quote) = after.chars().next() else {
            break;
        };
        let Some(close) = after[1..].find(quote) else {
            break;
        };
        let value = &after[..close + 2];
        if !dropped.contains(&attribute) {
            out.push(' ');
            out.push_str(attribute);
            out.push('=');
            out.push_str(value);
        }
        rest = after[close + 2..].trim_start();
    }
    out.push_str(if empty { " />" } else { ">" });
}

/// Records a finished element as a child of the element around it, when that
/// element's children are ordered.
fn note_child(
    stack: &[Open],
    children: &mut Vec<(usize, usize, usize)>,
    name: &str,
    start: usize,
    end: usize,
) {
    if let Some(parent) = stack.last()
        && let Some(order) = parent.order
    {
        children.push((rank(order, name), start, end));
    }
}

/// Rewrites `out[from..]` (an ordered element's content) with its children
/// sorted by rank. Only whitespace may lie between children.
fn reorder(
    out: &mut String,
    from: usize,
    children: &[(usize, usize, usize)],
    scratch: &mut String,
) -> Result<(), RenderError> {
    if children.windows(2).all(|pair| pair[0].0 <= pair[1].0) {
        return Ok(());
    }
    let mut previous = from;
    for &(_, start, end) in children {
        if !out[previous..start].trim().is_empty() {
            return Err(RenderError::UnexpectedXml("text between property elements"));
        }
        previous = end;
    }
    if !out[previous..].trim().is_empty() {
        return Err(RenderError::UnexpectedXml("text between property elements"));
    }
    let mut sorted = children.to_vec();
    sorted.sort_by_key(|&(rank, _, _)| rank);
    scratch.clear();
    for (_, start, end) in sorted {
        scratch.push_str(&out[start..end]);
    }
    out.truncate(from);
    out.push_str(scratch);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ordered(xml: &str) -> String {
        String::from_utf8(schema_order(xml.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    fn property_children_come_in_schema_order() {
        assert_eq!(
            ordered(
                r#"<w:p><w:pPr><w:keepNext /><w:numPr><w:numId w:val="2" /><w:ilvl w:val="0" /></w:numPr><w:pStyle w:val="ListBullet" /><w:rPr><w:sz w:val="20" /><w:b /></w:rPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"#
            ),
            r#"<w:p><w:pPr><w:pStyle w:val="ListBullet" /><w:keepNext /><w:numPr><w:ilvl w:val="0" /><w:numId w:val="2" /></w:numPr><w:rPr><w:b /><w:sz w:val="20" /></w:rPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"#
        );
    }

    #[test]
    fn content_keeps_its_order_and_properties_lead() {
        assert_eq!(
            ordered(
                r#"<w:r><w:t xml:space="preserve">b </w:t><w:rPr><w:i /></w:rPr><w:br /><w:t>a</w:t></w:r>"#
            ),
            r#"<w:r><w:rPr><w:i /></w:rPr><w:t xml:space="preserve">b </w:t><w:br /><w:t>a</w:t></w:r>"#
        );
    }

    #[test]
    fn text_and_attributes_pass_through_untouched() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?><w:document a="x&gt;y"><w:t>Tom &amp; Jerry &lt;b&gt; “q”</w:t></w:document>"#;
        assert_eq!(ordered(xml), xml);
    }

    #[test]
    fn empty_run_properties_are_dropped_where_the_schema_has_no_place_for_them() {
        assert_eq!(
            ordered(
                r#"<w:style><w:rPr><w:b /></w:rPr><w:pPr><w:rPr /><w:keepNext /></w:pPr><w:name w:val="x" /></w:style>"#
            ),
            r#"<w:style><w:name w:val="x" /><w:pPr><w:keepNext /></w:pPr><w:rPr><w:b /></w:rPr></w:style>"#
        );
        assert_eq!(
            ordered(r#"<w:lvl><w:pPr><w:rPr></w:rPr></w:pPr></w:lvl>"#),
            r#"<w:lvl><w:pPr></w:pPr></w:lvl>"#
        );
        // In a paragraph of the body they are the paragraph mark's, and stay.
        assert_eq!(
            ordered(r#"<w:p><w:pPr><w:rPr /></w:pPr></w:p>"#),
            r#"<w:p><w:pPr><w:rPr /></w:pPr></w:p>"#
        );
        assert!(
            schema_order(br#"<w:style><w:pPr><w:rPr><w:b /></w:rPr></w:pPr></w:style>"#).is_err()
        );
    }

    #[test]
    fn undeclared_attributes_are_dropped() {
        assert_eq!(
            ordered(r#"<w:tblGrid><w:gridCol w:w="1200" w:type="dxa" /></w:tblGrid>"#),
            r#"<w:tblGrid><w:gridCol w:w="1200" /></w:tblGrid>"#
        );
    }

    #[test]
    fn broken_xml_is_an_error_not_a_panic() {
        for xml in [
            "<w:p><w:r></w:p>",
            "<w:p",
            "<w:p>",
            r#"<w:pPr><w:b />text<w:pStyle w:val="x" /></w:pPr>"#,
        ] {
            assert!(schema_order(xml.as_bytes()).is_err(), "{xml}");
        }
    }
}
