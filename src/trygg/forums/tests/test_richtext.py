"""Agendas and minutes are stored sanitised: no script, no style, no event handlers."""

from trygg.forums.richtext import sanitise, to_plain


def test_it_removes_script_and_event_handlers_but_keeps_the_allowed_formatting():
    html = sanitise(
        '<p onclick="steal()">Hej <b>alla</b> <script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a> <a href="https://nacka.se" target="_blank">Nacka</a>'
        "<img src=x onerror=alert(1)></p><style>p{}</style><h3>Beslut</h3>"
        '<table><tr><th scope="col">A</th></tr><tr><td>1</td></tr></table>'
    )
    assert "script" not in html and "alert" not in html and "onclick" not in html
    assert "<img" not in html and "style" not in html and "target" not in html
    assert "<strong>alla</strong>" in html
    assert 'href="https://nacka.se"' in html and 'rel="noopener noreferrer"' in html
    assert "<h3>Beslut</h3>" in html and '<th scope="col">A</th>' in html


def test_plain_text_becomes_paragraphs_and_lists_with_everything_escaped():
    html = sanitise(
        "Lägesbild\nfrån polisen\n\n- Klotter\n- Belysning\n\n1. Först\n2. Sedan\n\n<3 & mer"
    )
    assert html.startswith("<p>Lägesbild<br>från polisen</p>")
    assert "<ul><li>Klotter</li><li>Belysning</li></ul>" in html
    assert "<ol><li>Först</li><li>Sedan</li></ol>" in html
    assert "&lt;3 &amp; mer" in html


def test_empty_text_stays_empty_and_html_reads_back_as_plain_text():
    assert sanitise("   ") == ""
    assert to_plain("<p>Ett</p><ul><li>två &amp; tre</li></ul>") == "Ett\ntvå & tre"
