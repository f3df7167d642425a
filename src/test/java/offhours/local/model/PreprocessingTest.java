package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The NORMALIZE and RESIZE settings as the CLI and the ONNX container's environment spell them. */
class PreprocessingTest {

  @Test
  void normalizeNamesImagenetAndUnitInAnyCaseOrGivesMeanAndStd() {
    assertThat(Normalization.parse("imagenet", "NORMALIZE")).isEqualTo(Normalization.IMAGENET);
    assertThat(Normalization.parse("ImageNet", "NORMALIZE")).isEqualTo(Normalization.IMAGENET);
    assertThat(Normalization.parse("unit", "NORMALIZE")).isEqualTo(Normalization.UNIT_SCALE);
    Normalization half = Normalization.parse("0.5,0.5,0.5/0.5, 0.5 ,.5", "NORMALIZE");
    assertThat(half.mean()).containsExactly(0.5f, 0.5f, 0.5f);
    assertThat(half.std()).containsExactly(0.5f, 0.5f, 0.5f);
    Normalization clip = Normalization.parse(
        "0.48145466,0.4578275,0.40821073/0.26862954," + "0.26130258,0.27577711", "NORMALIZE");
    assertThat(clip.mean()).containsExactly(0.48145466f, 0.4578275f, 0.40821073f);
    assertThat(clip.std()).containsExactly(0.26862954f, 0.26130258f, 0.27577711f);
  }

  @Test
  void eachNormalizationIsSpelledAsItIsReadBack() {
    assertThat(Normalization.IMAGENET.spelling()).isEqualTo("imagenet");
    assertThat(Normalization.UNIT_SCALE.spelling()).isEqualTo("unit");
    assertThat(Normalization.parse("0.50,0.5,0.5/0.5,0.5,0.50", "N").spelling())
        .isEqualTo("0.5,0.5,0.5/0.5,0.5,0.5");
    assertThat(Normalization.parse("0.485,0.456,0.406/0.229,0.224,0.225", "N").spelling())
        .as("ImageNet's numbers typed out are ImageNet")
        .isEqualTo("imagenet");
    for (String given : new String[] {"0.1,0.2,0.3/1,2,3", "0,0,0.0001/0.00001,7,100"}) {
      Normalization n = Normalization.parse(given, "N");
      assertThat(Normalization.parse(n.spelling(), "N")).as(given).isEqualTo(n);
    }
  }

  @Test
  void normalizeRefusesWhatIsNotThreeNumbersEachWithEachStdAboveZero() {
    assertThatThrownBy(() -> Normalization.parse("torchvision", "NORMALIZE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("NORMALIZE must be imagenet, unit, or MEAN/STD of three numbers each"
            + " (0.5,0.5,0.5/0.5,0.5,0.5), got 'torchvision'");
    assertThatThrownBy(() -> Normalization.parse("0.5/0.5", "NORMALIZE"))
        .hasMessage("NORMALIZE needs three comma-separated numbers for the mean (R,G,B), got 1 in"
            + " '0.5/0.5'");
    assertThatThrownBy(() -> Normalization.parse("0.5,0.5,0.5/0.5,0.5", "NORMALIZE"))
        .hasMessage("NORMALIZE needs three comma-separated numbers for the std (R,G,B), got 2 in"
            + " '0.5,0.5,0.5/0.5,0.5'");
    assertThatThrownBy(() -> Normalization.parse("0.5,0.5,0.5/0.5,0,0.5", "NORMALIZE"))
        .hasMessage("NORMALIZE needs each std above 0 (it divides), got '0.5,0.5,0.5/0.5,0,0.5'");
    for (String number : new String[] {"NaN", "Infinity", "1e3", "-0.5", "", "0x1p3"}) {
      String given = number + ",0.5,0.5/1,1,1";
      assertThatThrownBy(() -> Normalization.parse(given, "NORMALIZE"))
          .as(given)
          .hasMessage("NORMALIZE needs numbers in digits 0-9 with at most one '.' (like 0.115) for"
              + " the mean, got '" + number + "' in '" + given + "'");
    }
    assertThatThrownBy(() -> Normalization.parse("1,1,1/1,1,1/1,1,1", "NORMALIZE"))
        .hasMessageStartingWith("NORMALIZE must be imagenet, unit, or MEAN/STD");
  }

  @Test
  void resizeIsStretchOrCrop() {
    assertThat(Resize.parse("crop", "RESIZE")).isEqualTo(Resize.CROP);
    assertThat(Resize.parse("Stretch", "RESIZE")).isEqualTo(Resize.STRETCH);
    assertThatThrownBy(() -> Resize.parse("center-crop", "RESIZE"))
        .hasMessage(
            "RESIZE must be stretch, crop or crop:FRACTION, the fraction of the scaled image"
                + " cut, above 0 and at most 1 (as crop:0.875), got 'center-crop'");
  }

  @Test
  void resampleIsBilinearOrAntialiasAndNothingElse() {
    assertThat(Resample.parse("bilinear", "RESAMPLE")).isEqualTo(Resample.BILINEAR);
    assertThat(Resample.parse(" AntiAlias ", "RESAMPLE")).isEqualTo(Resample.ANTIALIAS);
    assertThat(Resample.ANTIALIAS.value()).isEqualTo("antialias");
    for (String bad : new String[] {"lanczos", "", "anti-alias", "pil"}) {
      assertThatThrownBy(() -> Resample.parse(bad, "RESAMPLE"))
          .as(bad)
          .hasMessage("RESAMPLE must be bilinear (TF.js' resizeBilinear, as nsfwjs) or antialias"
              + " (Pillow's BILINEAR, as torchvision and Hugging Face), got '" + bad + "'");
    }
    assertThat(Preprocessing.of(Map.of("RESAMPLE", "antialias", "RESIZE", "crop:0.875")))
        .isEqualTo(
            new Preprocessing(Normalization.UNIT_SCALE, Resize.crop(0.875), Resample.ANTIALIAS));
    assertThat(Preprocessing.of(Map.of()).resample()).isEqualTo(Resample.BILINEAR);
  }

  @Test
  void aCropFractionIsAboveZeroAndAtMostOneAndSpelledOneWay() {
    assertThat(Resize.parse("crop:0.875", "RESIZE")).isEqualTo(Resize.crop(0.875));
    assertThat(Resize.parse(" CROP:.8750 ", "RESIZE").value()).isEqualTo("crop:0.875");
    assertThat(Resize.parse("crop:0.000001", "RESIZE").value()).isEqualTo("crop:0.000001");
    // A whole crop is crop, as it always was, so giving it again changes nothing.
    for (String whole : new String[] {"crop:1", "crop:1.0", "Crop:1.000"}) {
      assertThat(Resize.parse(whole, "RESIZE")).as(whole).isEqualTo(Resize.CROP);
      assertThat(Resize.parse(whole, "RESIZE").value()).as(whole).isEqualTo("crop");
    }
    for (String bad : new String[] {
      "crop:0",
      "crop:0.0",
      "crop:1.5",
      "crop:1.0001",
      "crop:abc",
      "crop:",
      "crop:-0.5",
      "crop:1e-1",
      "crop:0.5x",
      "crop: 0.5",
      "crop:NaN"
    }) {
      assertThatThrownBy(() -> Resize.parse(bad, "RESIZE"))
          .as(bad)
          .hasMessage(
              "RESIZE needs a crop fraction above 0 and at most 1, in digits 0-9 with at most"
                  + " one '.' as crop:0.875, got '" + bad + "'");
    }
    assertThatThrownBy(() -> Resize.crop(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Resize(false, 0.5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inputSizeIsASideOrHeightByWidthEachFromOneTo4096() {
    assertThat(InputSize.parse("224", "INPUT_SIZE")).isEqualTo(new InputSize(224, 224));
    assertThat(InputSize.parse("384x288", "INPUT_SIZE")).isEqualTo(new InputSize(384, 288));
    assertThat(InputSize.parse("4096x1", "INPUT_SIZE")).isEqualTo(new InputSize(4096, 1));
    assertThat(InputSize.parse("224x224", "INPUT_SIZE").spelling()).isEqualTo("224");
    assertThat(InputSize.parse("384x288", "INPUT_SIZE").spelling()).isEqualTo("384x288");
    String forms =
        "INPUT_SIZE must be a side such as 224 for a square, or HEIGHTxWIDTH such as 384x288,"
            + " each from 1 to 4096 in digits 0-9, got '";
    for (String bad : List.of(
        "",
        "x",
        "224x",
        "x224",
        "1x2x3",
        "224X224",
        "224 x 224",
        " 224",
        "+224",
        "-1",
        "2.5",
        "\uFF12\uFF12\uFF14")) {
      assertThatThrownBy(() -> InputSize.parse(bad, "INPUT_SIZE"))
          .as(bad)
          .hasMessageStartingWith(forms);
    }
    assertThatThrownBy(() -> InputSize.parse("224\u001b[2J", "INPUT_SIZE"))
        .as("a control character is shown escaped")
        .hasMessage(forms + "224\\x1b[2J'");
    assertThatThrownBy(() -> InputSize.parse("0", "INPUT_SIZE"))
        .hasMessage("INPUT_SIZE needs each side from 1 to 4096, got '0'");
    assertThatThrownBy(() -> InputSize.parse("224x4097", "INPUT_SIZE"))
        .hasMessage("INPUT_SIZE needs each side from 1 to 4096, got '224x4097'");
    assertThatThrownBy(() -> InputSize.parse("99999999999999999999", "INPUT_SIZE"))
        .as("digits too many for a long are a side too long, not a misspelling")
        .hasMessage("INPUT_SIZE needs each side from 1 to 4096, got '99999999999999999999'");
    assertThatThrownBy(() -> InputSize.parse("224x99999999999999999999", "INPUT_SIZE"))
        .hasMessage("INPUT_SIZE needs each side from 1 to 4096, got '224x99999999999999999999'");
    assertThatThrownBy(() -> new InputSize(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSettingsAreReadFromAMapOfOtherSettingsTooAndDefaultToTheDefaultModels() {
    assertThat(Preprocessing.of(Map.of("CONTENT_TYPE", "auto"))).isEqualTo(Preprocessing.DEFAULT);
    assertThat(Preprocessing.DEFAULT)
        .isEqualTo(new Preprocessing(Normalization.UNIT_SCALE, Resize.STRETCH));
    assertThat(Preprocessing.of(Map.of("NORMALIZE", "imagenet", "RESIZE", "crop")))
        .isEqualTo(new Preprocessing(Normalization.IMAGENET, Resize.CROP));
    assertThat(Preprocessing.of(Map.of("INPUT_SIZE", "384x288")))
        .isEqualTo(new Preprocessing(
            Normalization.UNIT_SCALE, Resize.STRETCH, Optional.of(new InputSize(384, 288))));
    assertThat(Preprocessing.among(Map.of("ACCEPT", "application/json", "RESIZE", "crop")))
        .containsExactly(Map.entry("RESIZE", "crop"));
    assertThat(Preprocessing.among(Map.of("INPUT_SIZE", "224", "HOSTING", "serverless")))
        .containsExactly(Map.entry("INPUT_SIZE", "224"));
    assertThatThrownBy(() -> Preprocessing.of(Map.of("INPUT_SIZE", "big")))
        .hasMessageStartingWith("INPUT_SIZE must be a side such as 224");
    assertThatThrownBy(() -> Preprocessing.of(Map.of("RESIZE", "fit")))
        .hasMessageStartingWith("RESIZE must be stretch, crop or crop:FRACTION");
    assertThat(Preprocessing.of(Map.of("RESIZE", "crop:0.875")).resize())
        .isEqualTo(Resize.crop(0.875));
  }
}
