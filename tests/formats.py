"""Small real documents in each format, written by maintained libraries for the tests:
PDFs by fpdf2, DOCX files by python-docx, and a saved web page with navigation."""

from __future__ import annotations

from pathlib import Path

HEADER = "Harbour Authority - Annual Report 2023"

# release notes as GNU projects write them: an Emacs outline, each note a block of
# lines wrapped at 75 columns, its "[bug introduced in ...]" line last
NEWS = """GNU tools NEWS                                    -*- outline -*-

* Noteworthy changes in release 9.1 (2022-04-15) [stable]

** Bug fixes

  chmod -R no longer exits with error status when encountering symlinks.
  All files would be processed correctly, but the exit status was incorrect.
  [bug introduced in coreutils-9.0]

  If 'cp -Z A B' checks B's status and some other process then removes B,
  cp no longer creates B with a too-generous SELinux security context
  before adjusting it to the correct value.
  [bug introduced in coreutils-8.17]

** Changes in behavior

  cksum no longer allows abbreviated algorithm names, so that forward
  compatibility and robustness is improved, and names such as sha1
  are refused.

* Noteworthy changes in release 9.0 (2021-09-24) [stable]

** Bug fixes

  chmod -v no longer misreports modes of dangling symlinks.
  [bug introduced in coreutils-5.3.0]

  du no longer crashes on XFS file systems when the directory hierarchy is
  heavily changed during the run.
  [bug introduced in coreutils-8.25]

  split --number=K/N will again correctly split chunk K of N to stdout, as
  a chunk of any width after 128KiB output the wrong part of the file.
  [bug introduced in coreutils-8.26]
"""

# PDF pages: (heading or None, paragraphs as the lines they are set in). A line ending in
# "-" is a word hyphenated at the line end.
PDF_PAGES = [
    ("Overview", [
        ["The harbour authority looks after the port, its channels and the",
         "quays of the old town on behalf of the regional government."],
        ["This report covers the year 2023 and the work planned for the",
         "coming two years by the board of the authority."],
    ]),
    ("Dredging", [
        ["The harbour authority dredged 1.2 million cubic metres of silt",
         "from the eastern channel in 2023, so that ships with a draught",
         "of twelve metres can reach the container terminal."],
        ["The work was carried out by an inter-",
         "national contractor under a three-year agreement signed in the",
         "spring."],
    ]),
    (None, [
        ["Dredging will continue in the western channel, where the silt",
         "settles faster because of the river."],
    ]),
    ("Finance", [
        ["Port dues brought in 14 million euros, two million more than in",
         "the year before."],
    ]),
]


def make_pdf(path: Path, pages=PDF_PAGES, header: str | None = HEADER,
             title: str | None = None) -> Path:
    """A PDF with a running header, a "Page N of M" footer, headings set larger and
    bold, paragraphs apart, and one word hyphenated at a line end. With `title`: no
    title in its metadata (as LaTeX leaves it), the title set large atop page 1."""
    from fpdf import FPDF

    class Report(FPDF):
        def header(self):
            if header:
                self.set_font("Helvetica", size=9)
                self.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")
                self.ln(6)

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Report(format=(148, 210))
    if title is None:
        pdf.set_title("Annual Report 2023")
    for n, (heading, paragraphs) in enumerate(pages):
        pdf.add_page()
        if title and n == 0:
            pdf.set_font("Helvetica", size=22)
            pdf.cell(0, 12, title, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        if heading:
            pdf.set_font("Helvetica", style="B", size=16)
            for part in heading.split("\n"):  # a heading set on two lines
                pdf.cell(0, 10, part, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.set_font("Helvetica", size=10)
        for lines in paragraphs:
            for line in lines:
                pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
    pdf.output(str(path))
    return path


def make_list_pdf(path: Path, items: list[list[str]], contents: tuple[str, ...] = (),
                  page_break: int | None = None) -> Path:
    """A PDF of one paragraph and a bulleted list whose items wrap onto lines that hang
    under the item's text, right of the bullet (as LaTeX and Word set lists). `contents`:
    lines of a table of contents before them; `page_break`: a new page before that item."""
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in contents:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    if contents:
        pdf.ln(10)
    pdf.cell(0, 5, "The update command writes these files:", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for k, lines in enumerate(items):
        if k == page_break:
            pdf.add_page()
        for n, line in enumerate(lines):
            pdf.set_x(pdf.l_margin + (0 if n == 0 else 4))
            pdf.cell(0, 5, ("- " if n == 0 else "") + line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.output(str(path))
    return path


def make_scanned_pdf(path: Path) -> Path:
    """Two pages that are only pictures, as a scanner makes them: no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    img = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(img)
    for y in range(40, 520, 24):
        draw.line((30, y, 370, y), fill=0, width=6)
    pdf = FPDF(format=(148, 210))
    for _ in range(2):
        pdf.add_page()
        pdf.image(img, x=10, y=10, w=128)
    pdf.output(str(path))
    return path


def make_encrypted_pdf(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 5, "Secret text.")
    pdf.output(str(path))
    return path


def make_docx(path: Path, header: str = "") -> Path:
    """A Word document with a title, Heading 1/2 sections, and a table; its first row a
    header by `header`: "bold" (every word bold), "marked" (Word's repeated header row),
    or none."""
    import docx

    d = docx.Document()
    d.core_properties.title = ""
    d.add_paragraph("City Library Plan", style="Title")
    d.add_heading("Staff", level=1)
    d.add_paragraph("The library employs 11 librarians and 4 technicians.")
    d.add_heading("Budget", level=1)
    d.add_paragraph("The library spent 48,000 euros on new books in 2024.")
    d.add_heading("Opening hours", level=2)
    d.add_paragraph("On Sundays the reading room stays closed.")
    table = d.add_table(rows=3, cols=2)
    for r, (day, hours) in enumerate([("Day", "Hours"), ("Monday", "9-18"),
                                      ("Saturday", "10-14")]):
        table.cell(r, 0).text, table.cell(r, 1).text = day, hours
    if header == "bold":
        for cell in table.rows[0].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
    elif header == "marked":
        from docx.oxml import OxmlElement

        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    d.save(str(path))
    return path


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Visiting the City Museum</title>
<style>body {{ font-family: sans-serif }}</style><script>var tracking = 1;</script></head>
<body>
<header class="site-header"><a href="/">City Museum</a>
  <nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/visit">Visit</a></li>
  <li><a href="/collections">Collections</a></li><li><a href="/shop">Shop</a></li>
  <li><a href="/donate">Donate</a></li></ul></nav></header>
<div class="layout">
<aside class="sidebar"><h3>Explore</h3><ul>
  <li><a href="/a">Ancient Egypt gallery</a></li><li><a href="/b">Roman coins</a></li>
  <li><a href="/c">Medieval armour</a></li><li><a href="/d">Modern art wing</a></li></ul></aside>
<main><article>
<h1>Visiting the City Museum</h1>
<p>The City Museum in the old town holds collections of archaeology, coins and
painting from the region, in a building that was once the grain exchange.</p>
<h2>Opening hours</h2>
<p>The museum opens at 9 a.m. on weekdays and at 10 a.m. at weekends, and closes
at 6 p.m. every day except on public holidays, when it stays closed all day.</p>
<h2>Tickets</h2>
<p>A ticket for adults costs 12 euros; children under twelve enter free of charge,
and students pay half price with a valid card.</p>
{extra}
</article></main></div>
<footer><p>Copyright 2024 City Museum. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/cookies">Cookie settings</a></li>
<li><a href="/contact">Contact us</a></li></ul></footer>
</body></html>
"""


def make_html(path: Path, extra: str = "") -> Path:
    """A saved web page: header menu, sidebar, the article, a footer with links."""
    path.write_text(PAGE.format(extra=extra), encoding="utf-8")
    return path
