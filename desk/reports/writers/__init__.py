"""What every document is made with: the PDF frame, layout, fonts, text into
markup, the locator map."""
