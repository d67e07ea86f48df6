from django.test import Client


def test_chinese_first_whatever_the_browser_says(db: object) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/accounts/login/")
    assert page.headers["Content-Language"] == "zh-hans"
    assert "登录" in page.content.decode()


def test_english_when_the_user_chose_it(db: object) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/accounts/login/")
    assert page.headers["Content-Language"] == "en"
