"""Admin forms: images must carry alt text (WAGTAILIMAGES_IMAGE_FORM_BASE points here)."""

from typing import Any

from wagtail.images.forms import BaseImageForm

ALT_TEXT_HELP = (
    "Required. Describe the image for people who cannot see it (screen readers, slow connections): "
    "what it shows and why it matters, in a sentence, e.g. “Protesters outside the Las Bambas mine”. "
    "The site uses this as the image's alt text."
)


class ImageForm(BaseImageForm):
    """Wagtail's image form with the description (used as alt text) required."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            field = self.fields["description"]
            field.required = True
            field.label = "Description (alt text)"
            field.help_text = ALT_TEXT_HELP
            field.widget.attrs["required"] = "required"
