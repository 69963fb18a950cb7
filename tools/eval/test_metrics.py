"""test_metrics.py — hand-worked checks of the evaluators' metric and text code (common.py,
make_kazakh_set.py). Run: python3 -m unittest discover -s tools/eval -p 'test_*.py'
(tests/cli/eval_metrics.sh runs it inside `make test`)."""
import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402


class Auc(unittest.TestCase):
    def test_perfect_and_reversed(self):
        self.assertEqual(C.roc_auc([3, 4], [1, 2]), 1.0)
        self.assertEqual(C.roc_auc([1, 2], [3, 4]), 0.0)

    def test_ties_count_half(self):
        # pos {2, 2}, neg {2, 1}: pairs (2>1) x2 = 2 wins, (2=2) x2 = 1 → 3/4
        self.assertAlmostEqual(C.roc_auc([2, 2], [2, 1]), 0.75)

    def test_hand_example(self):
        # pos 0.9 0.4, neg 0.5 0.1: wins 0.9>0.5, 0.9>0.1, 0.4>0.1 = 3 of 4
        self.assertAlmostEqual(C.roc_auc([0.9, 0.4], [0.5, 0.1]), 0.75)

    def test_empty_is_nan(self):
        self.assertTrue(math.isnan(C.roc_auc([], [1])))


class Ap(unittest.TestCase):
    def test_hand_example(self):
        # ranking a(rel) b c(rel): AP = (1/1 + 2/3) / 2
        ap = C.average_precision({"a": 0.9, "b": 0.8, "c": 0.7}, {"a", "c"})
        self.assertAlmostEqual(ap, (1 + 2 / 3) / 2)

    def test_unscored_relevant_is_a_miss(self):
        ap = C.average_precision({"a": 0.9}, {"a", "z"})
        self.assertAlmostEqual(ap, 0.5)

    def test_ties_pessimistic(self):
        # a(rel) and b tie: b ranked first → precision at a = 1/2
        self.assertAlmostEqual(C.average_precision({"a": 0.5, "b": 0.5}, {"a"}), 0.5)


def case(s0, s1, r0, r1, d="s", src="r"):
    return (d, (s0, s1), src, (r0, r1))


class PlagDet(unittest.TestCase):
    def test_exact(self):
        m = C.plagdet([case(0, 100, 0, 100)], [case(0, 100, 0, 100)])
        self.assertEqual((m["precision"], m["recall"], m["granularity"]), (1.0, 1.0, 1.0))
        self.assertAlmostEqual(m["plagdet"], 1.0)

    def test_split_detection_granularity(self):
        m = C.plagdet([case(0, 100, 0, 100)], [case(0, 50, 0, 50), case(50, 100, 50, 100)])
        self.assertAlmostEqual(m["recall"], 1.0)
        self.assertAlmostEqual(m["precision"], 1.0)
        self.assertAlmostEqual(m["granularity"], 2.0)
        self.assertAlmostEqual(m["plagdet"], 1 / math.log2(3))

    def test_half_found(self):
        m = C.plagdet([case(0, 100, 0, 100)], [case(0, 50, 0, 50)])
        self.assertAlmostEqual(m["recall"], 0.5)
        self.assertAlmostEqual(m["plagdet"], 2 / 3)

    def test_too_long_detection(self):
        # r covers 200 suspicious + 100 source chars, 200 of them in the case → prec 2/3
        m = C.plagdet([case(0, 100, 0, 100)], [case(0, 200, 0, 100)])
        self.assertAlmostEqual(m["precision"], 2 / 3)
        self.assertAlmostEqual(m["recall"], 1.0)
        self.assertAlmostEqual(m["plagdet"], 0.8)

    def test_wrong_source_does_not_detect(self):
        m = C.plagdet([case(0, 100, 0, 100)], [case(0, 100, 0, 100, src="other")])
        self.assertEqual(m["recall"], 0.0)
        self.assertEqual(m["precision"], 0.0)
        self.assertEqual(m["plagdet"], 0.0)

    def test_source_side_must_overlap(self):
        m = C.plagdet([case(0, 100, 0, 100)], [case(0, 100, 500, 600)])
        self.assertEqual(m["detected_cases"], 0)

    def test_macro_average_over_cases_and_detections(self):
        # case 1 found fully, case 2 missed; one false detection elsewhere
        cases = [case(0, 100, 0, 100), case(300, 400, 300, 400)]
        dets = [case(0, 100, 0, 100), case(1000, 1100, 1000, 1100)]
        m = C.plagdet(cases, dets)
        self.assertAlmostEqual(m["recall"], 0.5)
        self.assertAlmostEqual(m["precision"], 0.5)
        self.assertAlmostEqual(m["plagdet"], 0.5)


class Text(unittest.TestCase):
    def test_decode(self):
        self.assertEqual(C.decode_any(b"It\x92s\r\nok"), "It\u2019s\nok")
        self.assertEqual(C.decode_any("\ufeffҚаз\r\n".encode("utf-8")), "Қаз\n")
        self.assertEqual(C.decode_any("Қаз".encode("utf-16")), "Қаз")

    def test_countable(self):
        self.assertEqual(C.count_letters("Сөз 12, — «ok»!\u200b\u00a0"), 7)

    def test_json_stream(self):
        self.assertEqual(C.json_stream('{"a":1}\n{"a":2}'), [{"a": 1}, {"a": 2}])
        self.assertEqual(C.json_stream('[{"a":1},{"a":2}]'), [{"a": 1}, {"a": 2}])
        self.assertEqual(C.json_stream('{\n "a": 1\n}\n{\n "a": 2\n}\n'), [{"a": 1}, {"a": 2}])

    def test_utf16(self):
        s = "a\U0001F600b"
        self.assertEqual(C.utf16_index(s), [0, 1, 3, 4])
        f = C.u16_to_cp_fn(s)
        self.assertEqual((f(0), f(1), f(3), f(4)), (0, 1, 2, 3))

    def test_align_crlf_and_joined_lines(self):
        raw = "\ufeffOne two\r\nthree  four\n\nfive"
        ext = "One two three four\nfive"
        m, exact = C.align_offsets(ext, raw)
        self.assertEqual(exact, 1.0)
        for k, ch in enumerate(ext):
            if not ch.isspace():
                self.assertEqual(raw[m[k]], ch, k)
        # the span of "three four" in ext maps onto "three  four" in raw
        a, b = ext.index("three"), ext.index("four") + 4
        self.assertEqual(raw[m[a]:m[b - 1] + 1], "three  four")
        self.assertEqual(m[len(ext)], len(raw))

    def test_align_skips_invisible_and_resyncs(self):
        raw = "ab\u200bcd xx extra words here then the rest of it"
        ext = "abcd xx then the rest of it"
        m, _ = C.align_offsets(ext, raw)
        k = ext.index("then")
        self.assertEqual(raw[m[k]:m[k] + 4], "then")
        self.assertEqual(raw[m[2]], "c")

    def test_lines_span(self):
        s = "l1\nline2\nl3"
        st = C.line_starts(s)
        self.assertEqual(s[slice(*C.lines_span(s, st, 2, 2))], "line2")
        self.assertEqual(s[slice(*C.lines_span(s, st, 2, 3))], "line2\nl3")
        self.assertEqual(s[slice(*C.lines_span(s, st, 1, 1))], "l1")


if __name__ == "__main__":
    unittest.main()


class KazakhSet(unittest.TestCase):
    """The disguises and the truth of make_kazakh_set.py on hand examples."""

    @classmethod
    def setUpClass(cls):
        import make_kazakh_set as K
        cls.K = K

    def test_latin_2021(self):
        self.assertEqual(self.K.translit("Қазақстан Республикасы, ұлт, шаһар, Иә",
                                         self.K.LAT2021, self.K.LAT2021_UP),
                         "Qazaqstan Respublikasy, ūlt, şahar, İä")

    def test_latin_2018(self):
        self.assertEqual(self.K.translit("Қазақстан үкімет, ғылым, аңыз, Шымкент, ұлы, ай",
                                         self.K.LAT2018, self.K.LAT2018_UP),
                         "Qazaqstan úkimet, ǵylym, ańyz, Shymkent, uly, aı")

    def test_russian_keyboard(self):
        self.assertEqual(self.K.ru_keyboard("Әке, өнер, Құдай"), "Аке, онер, Кудай")

    def test_zwsp_and_guillemets(self):
        self.assertEqual(self.K.zwsp("бала мен әке"), "ба\u200bла мен әке")
        self.assertEqual(self.K.guillemets("бір екі үш төрт бес"), "бір «екі» үш төрт «бес»")

    def test_truth_counts_visible_letters_only(self):
        paras = [[("Бір екі, үш! ", "o"), ("Төрт бес", "b"), ("жасырын", "hidden")],
                 [("ақ", "white"), ("12 алты", "b")]]
        self.assertEqual(self.K.truth_of(paras), (8 + 7 + 6, 7 + 6))

    def test_docx_round_trip_visible_letters(self):
        import tempfile
        try:
            import docx  # noqa: F401
        except ImportError:
            self.skipTest("python-docx missing")
        paras = [[("Бір екі үш ", "o"), ("жасырын мәтін", "hidden"), ("төрт", "b")],
                 [("ақ", "white"), ("бес", "o")]]
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "t.docx")
            self.K.write_docx(paras, p)
            vis, text = self.K.visible_docx(p)
        self.assertEqual(vis, self.K.truth_of(paras)[0])
        self.assertIn("жасырын", text)
