"""Importers on real rows: every sample below is copied verbatim from the snapshot in catalog/sources (the file's
CRLF line ends shown as LF; a test checks CRLF gives the same result), with the source line noted for each row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from catalog.importers import (
    Imported,
    SourceInfo,
    csv_rows,
    extract_skills,
    guess_language,
    parse_count,
    parse_coursera_time,
    parse_hours_per_week,
    parse_price,
    parse_video_hours,
    parse_weeks,
    read_coursera,
    read_coursera_records,
    read_edx,
    read_source,
    read_udemy,
    title_key,
)
from catalog.importers.common import (
    RowProblem,
    clip,
    make_id,
    map_language,
    map_level,
    parse_list_literal,
    title_skills,
)
from catalog.importers.coursera import coursera_description, listed_price
from catalog.provenance import BY_NAME
from catalog.schema import FIELD_NAMES
from catalog.validate import check_record

SOURCES = Path(__file__).resolve().parents[2] / "catalog" / "sources"
VOCABULARY = [
    "python",
    "python programming",
    "security",
    "risk management",
    "management",
    "finance",
    "trading",
    "machine learning",
    "learning",
    "statistics",
    "probability",
    "data analysis",
    "ios",
    "swift",
    "chatbots",
    "excel",
]


def info(name: str) -> SourceInfo:
    return SourceInfo.from_snapshot(BY_NAME[name])


def by_id(imported: Imported) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in imported.records}


def assert_valid(imported: Imported, file: str) -> None:
    for record in imported.records:
        assert tuple(record) == FIELD_NAMES
        assert check_record(record, file, 1) == [], record["id"]


# --- samples (verbatim rows; the source line of each row is in the tests that use it) ---------------------------

COURSERA_SAMPLE = """\
,course_title,course_organization,course_certificate_type,course_time,course_rating,course_reviews_num,course_difficulty,course_url,course_students_enrolled,course_skills,course_summary,course_description
196,(ISC)² Systems Security Certified Practitioner (SSCP),ISC2,Specialization,3 - 6 Months,4.7,484,Beginner,https://www.coursera.org/specializations/sscp-training,"6,706","['Security Software', 'Risk Management', 'Access Control', 'Incident Detection and Response', 'Cloud Computing Security', 'Wireless Security', 'Risk Management', 'Asset', 'Risk Management']",[],"Pursue better IT security job opportunities and prove knowledge with confidence. The SSCP Professional Training Certificate shows employers you have the IT security foundation to defend against cyber attacks – and puts you on a clear path to earning SSCP certification.
Learn on your own schedule with 120-day access to content aligned with the latest (ISC)2 SSCP exam domains. We’re offering the complete online self-paced program for only $1,000 – a $200 savings when you get all domains bundled together.
3 Steps to Career Advancement 
1.  Register for the course 
2.  Gain access for 120 days 
3. Register and sit for the SSCP certification exam
Upon completing the SSCP Professional Certificate, you will:
1.  Complete six courses of preparing you to sit for the Systems Security Certified Practitioner (SSCP) certification exam Opens in a new tabas outlined below.
Course 1 - Access Controls
Course 2 - Security Operations and Administration
Course 3 - Risk Identification, Monitoring, and Analysis/Incident Response and Recovery
Course 4 - Cryptography
Course 5 - Network and Communication Security
Course 6 - Systems and Application Security
2. Receive a certificate of program completion.
3. Understand how to implement, monitor and administer an organization’s IT infrastructure in accordance with security policies and procedures that ensure data confidentiality, integrity and availability.
Applied Learning Project
Each course includes a case study that will require students to put into practice the knowledge they have gained throughout each course. Successful completion of course projects will require the basic understanding of the topics covered and the ability to relate those topics to the real world. The objective of each project is to determine whether students have understood course concepts and are able to use them in a real world setting. 
"
508,Analyze Network Traffic with TCPDump,Coursera Project Network,Guided Project,Less Than 2 Hours,4.4,36,Intermediate,https://www.coursera.org/projects/analyze-network-traffic-with-tcpdump,"2,297",[],"['Learn how tcpdump works', 'Use tcpdump to capture TCP packets', 'Analyze captured packets']","In this 1 hour guided project, you will learn how to use one of the most versatile Linux networking utilities tcpdump to capture and analyze TCP traffic. Popular among all ranks of networking professionals, tcpdump will definitely empower you in daily networking operations. Basic network experience and shell script basics are highly recommended as prerequisites.
"
953,Finanzas personales,Universidad Nacional Autónoma de México,Course,1 - 3 Months,4.8,8.1k,Mixed,https://www.coursera.org/learn/finanzas-personales,"523,245",['Finance'],[],"Este curso, ofrecido por la UNAM, dotará a sus participantes con las herramientas que le permitirán llevar a cabo una planeación financiera personal y entender la necesidad de salvaguardar su patrimonio y recursos financieros, así como los requerimientos mínimos que se deben considerar para tomar buenas decisiones financieras.
"
670,Foundations for Assisting in Home Care,The State University of New York,Course,3 - 6 Months,4.8,353,Mixed,https://www.coursera.org/learn/home-care,"17,733",[],[],"This course is intended as a self-study course for those interested in exploring a career as a Home Health Aide or Personal Care Aide.
"
284,Investment Management with Python and Machine Learning,EDHEC Business School,Specialization,3 - 6 Months,4.6,1.6k,Beginner,https://www.coursera.org/specializations/investment-management-python-machine-learning,"37,085","['Programming skills', 'Managing your own personal invetsments', 'Investment management knowledge', 'Computer Science', 'Expertise in data science', 'Advanced vizualisation', 'Basics of consuption-based alternative data', 'Text mining methodologies', 'Web-scritpting tools']","['Write custom Python code and use existing Python libraries to build and analyse efficient portfolio strategies.', 'Write custom Python code and use existing Python libraries to estimate risk and return parameters, and build better diversified portfolios.', 'Learn the principles of supervised and unsupervised machine learning techniques to financial data sets ', 'Gain an understanding of advanced data analytics methodologies, and quantitative modelling applied to alternative data in investment decisions     ']",
215,Programming for Everybody (Getting Started with Python),University of Michigan,Course,1 - 3 Months,4.8,224.4k,Beginner,https://www.coursera.org/learn/python,"2,967,534",[],"['Install Python and write your first program', 'Describe the basics of the Python programming language', 'Use variables to store, retrieve and calculate information', 'Utilize core programming tools such as functions and loops']","This course aims to teach everyone the basics of programming computers using Python. We cover the basics of how one constructs a program from a series of simple instructions in Python.  The course has no pre-requisites and avoids all but the simplest mathematics. Anyone with moderate computer experience should be able to master the materials in this course. This course will cover Chapters 1-5 of the textbook “Python for Everybody”.  Once a student completes this course, they will be ready to take more advanced programming courses. This course covers Python 3.
"
49,Python for Everybody,University of Michigan,Specialization,3 - 6 Months,4.8,267.9k,Beginner,https://www.coursera.org/specializations/python,"1,552,603","['Json', 'Xml', 'Python Programming', 'Database (DBMS)', 'Python Syntax And Semantics', 'Data Structure', 'Tuple', 'Python Programming', 'Python Syntax And Semantics', 'Basic Programming Language', 'Computer Programming', 'Python Programming', 'Python Programming', 'Database (DBMS)', 'Sqlite', 'SQL', 'Data Analysis', 'Python Programming', 'Database (DBMS)', 'Data Visualization (DataViz)', 'Json', 'Xml', 'Python Programming', 'Web Scraping']",[],"This Specialization builds on the success of the Python for Everybody course and will introduce fundamental programming concepts including data structures, networked application program interfaces, and databases, using the Python programming language. In the Capstone Project, you’ll use the technologies learned throughout the Specialization to design and create your own  applications for data retrieval, processing, and visualization.
"
"""  # noqa: E501, W291

EDX_SAMPLE = """\
title,summary,n_enrolled,course_type,institution,instructors,Level,subject,language,subtitles,course_effort,course_length,price,course_description,course_syllabus,course_url
How to Learn Online,Learn essential strategies for successful online learning,"124,980",Self-paced on your time,edX,Nina Huntemann-Robyn Belair-Ben Piscopo,Introductory,Education & Teacher Training,English,English,2–3 hours per week,2 Weeks,FREE-Add a Verified Certificate for $49 USD,"Designed for those who are new to elearning, this course will prepare you with strategies to be a successful online learner.The edX learning design team has curated some of the most powerful, science-backed techniques which you can start using right away and on any learning platform.The Verified Certificate for this course is free. Use the following coupon code before September 1, 2020 to upgrade at no cost to you: Y5ZADM5NU2AN5JU7This course will help you answer the following questions:","Welcome - We start with opportunities to meet your instructors and fellow learners. Self-care for Learning - In this module, we then explore baseline self-care strategies that will help you maintain a healthy mind for effective online learning, the connections between memory and learning, and the importance of sleep. Space, Time, and Technology - In this module we address the challenges involved with creating a space for learning, including managing your technology. We also cover techniques for time management and keeping a routine. Learning Strategies - This module will help you get the most out your online learning experience. We cover effective study strategies and practices, making plans and setting priorities, and practicing self-regulation skills. Communication and Community - In this module, we talk about the importance of social learning. We cover strategies for communication, collaborating, and building connections with your instructors and fellow learners. What's Next? - Get started learning online!",https://www.edx.org/course/how-to-learn-online
CS50 for Lawyers,NA,"87,336",Self-paced on your time,Harvard University,Doug Lloyd-David J. Malan,Introductory,Computer Science,English,English,3–6 hours per week,10 Weeks,FREE-Add a Verified Certificate for $99 USD,,,https://www.edx.org/course/cs50-for-lawyers
Steps in Japanese for Beginners1 Part1,Learn basic Japanese expressions to survive in Japanese.,"53,630",Self-paced on your time,Waseda University,Naoko Kinoshita,Introductory,Language,English,"English, 日本語",3–5 hours per week,5 Weeks,FREE-Add a Verified Certificate for $49 USD,"Andy, an exchange student who as just arrived in Japan, is making greetings and introducing himself through his life in a university dormitory. He learns the taste of the foods he becomes to like by eating with Mr. Sato and Mr. Ono, two upperclassmen in his dormitory. He also orders a hamburger and coffee at local shops as he goes about his daily business.・To say greetings
・To introduce yourself
・To ask about food
・To order",,https://www.edx.org/course/steps-in-japanese-for-beginners1-part1-2
Introduction to Probability,"Learn probability, an essential language and set of tools for understanding data, randomness, and uncertainty.","97,291",Self-paced on your time,Harvard University,Joseph Blitzstein,Intermediate,Data Analysis & Statistics,English,English,5–10 hours per week,10 Weeks,FREE-Add a Verified Certificate for $99 USD,"Probability and statistics help to bring logic to a world replete with randomness and uncertainty. This course will give you tools needed to understand data, science, philosophy, engineering, economics, and finance. You will learn not only how to solve challenging technical problems, but also how you can apply those solutions in everyday life. With examples ranging from medical testing to sports prediction, you will gain a strong foundation for the study of statistical inference, stochastic processes, randomized algorithms, and other subjects where probability is needed.",,https://www.edx.org/course/introduction-to-probability
Introduction to Probability,"Learn probability, an essential language and set of tools for understanding data, randomness, and uncertainty.","97,291",Self-paced on your time,Harvard University,Joseph Blitzstein,Intermediate,Data Analysis & Statistics,English,English,5–10 hours per week,10 Weeks,FREE-Add a Verified Certificate for $99 USD,"Probability and statistics help to bring logic to a world replete with randomness and uncertainty. This course will give you tools needed to understand data, science, philosophy, engineering, economics, and finance. You will learn not only how to solve challenging technical problems, but also how you can apply those solutions in everyday life. With examples ranging from medical testing to sports prediction, you will gain a strong foundation for the study of statistical inference, stochastic processes, randomized algorithms, and other subjects where probability is needed.",,https://www.edx.org/course/introduction-to-probability
The Path to Happiness: What Chinese Philosophy Teaches us about the Good Life,"Why should we care about Confucius? Explore ancient Chinese philosophy, ethics, and political theory to challenge your assumptions of what it means to be happy, live a meaningful life, and change the world.","24,208",Self-paced on your time,Harvard University,Michael Puett,Introductory,Philosophy & Ethics,English,English,1–2 hours per week,13 Weeks,FREE-Add a Verified Certificate for $99 USD,"Today, finding happiness is about mindfulness and discovering your true self. You may have heard that happiness is found by looking within. Ancient Chinese philosophy challenges all of these modern assumptions. From Confucianism to Daoism, the philosophies developed over two thousand years ago are among the most powerful in human history. This course brings voices from the past into modern contexts to explore the path to a good life today. The philosophical concepts discussed provide tools to change your life and increase personal happiness by focusing on your actions, the power of ritual, and the importance of sensing the world around you. Through a series of lectures, animations, discussions, and reflection diaries, this course focuses on close readings from prominent Chinese philosophers. The course requires no prior knowledge of Chinese philosophy or history and all texts are in translation. Adapted from one of the most popular classes at Harvard, this course is now available online for the first time. Learn from award-winning professor Michael Puett and start on your path towards happiness.",,https://www.edx.org/course/the-path-to-happiness
Build your very first iOS app,Learn how to get started with app development and create your very first iOS app.,"31,570",Instructor-led on a course schedule,Curtin University,Dr David A. McMeekin-Tristan W. Reed,Introductory,Computer Science,English,English,8–10 hours per week,8 Weeks,FREE-Add a Verified Certificate for $149 USD,"In this course you will learn the tools, techniques and concepts needed to build a basic iOS app, from scratch. You will be introduced to the Swift programming language and learn how to utilise the Apple developer tools to build an app.After completing this course, you will be able to: ","Lesson 1: Starting App Development Lesson 2: Control Flow and Advanced Variables and Data Types Lesson 3: Xcode and Interface Builder Lesson 4: Functions, Classes and Structures Lesson 5: Introduction to User Interface Development Lesson 6: View Controllers and Navigation Lesson 7: Introduction to TableViews ",https://www.edx.org/course/build-your-very-first-ios-app
AI Chatbots without Programming,"Chatbots are increasingly in demand among global businesses. This course will teach you how to build, analyze, deploy and monetize chatbots - with the help of IBM Watson and the power of AI.","35,440",Self-paced on your time,IBM,Antonio Cangiano,Introductory,Computer Science,English,English,2–4 hours per week,2 Weeks,FREE-Add a Verified Certificate for $99 USD,"Special Offer : This course includes a great offer from IBM: One year of Watson Assistant services to power 10 chatbots at no charge. The perfect way to kickstart your chatbot building business!Chatbots are one of the most exciting and in-demand topics in tech. Businesses around the world are increasingly showing an interest in their potential for cost-saving and improving customer service availability.In this course, you'll learn how to build chatbots powered by Watson and how to approach making money by selling chatbots to clients. We'll coverways to sell chatbots to prospective clients online and offline. We'll explore how to plan and build chatbots using a visual tool provided by IBM. We'll offer methods for testing, analyzing, and improving your chatbots. And we'll teach you how to deploy your chatbots to websites via a handy WordPress plugin.Leveraging the AI power of Watson Assistant, you will be able toaccomplish all this without the need to write any code!",Module0 - Introduction to ChatbotsModule 1 - Introduction to ChatbotsModule 2 - Introduction to Watson Assistant (formerly Conversation)Module 3 -Building Our Chatbot: Intents and EntitiesModule 4 -Building Our Chatbot DialogModule 5 - Deploying Our Chatbot on WordPress,https://www.edx.org/course/AI-chatbots-without-programming
Introducción a Ciencias de Datos y Estadística Básica para Negocios,"En este curso adquirirás los métodos estadísticos para la toma de decisiones en los negocios, así como herramientas tecnológicas para desarrollar habilidades cuantitativas.",NA,Self-paced on your time,Tecnológico de Monterrey,José Antonio Núñez Mora,Advanced,Data Analysis & Statistics,Español,Español,5–8 hours per week,4 Weeks,FREE-Add a Verified Certificate for $49.99 USD,"Este curso te permitirá desarrollar habilidades como un tomador de decisiones con base a las siguientes competencias:Por medio de la estadística descriptiva, el estudio y análisis de distribuciones de probabilidad discreta y continua, así como la estimación por intervalos para la media y la proporción es como lograrás desarrollar ambas competencias.A través de este curso los participantes podrán:● Aplicar métodos básicos estadísticos al entorno de los negocios● Utilizar herramientas tecnológicas para desarrollar habilidades cuantitativas● Interpretar los resultados de métodos estadísticos aplicados a los negocios",Tema 1: Estadística descriptivaTema 2: Distribuciones de Probabilidad DiscretaTema 3: Distribuciones de Probabilidad ContinuaTema 4: Estimación por intervalos para la media y la proporción,https://www.edx.org/course/introduccion-a-ciencias-de-datos-y-estadistica-basica-para-negocios
"""  # noqa: E501

UDEMY_SAMPLE = '''\
course_id,course_title,url,is_paid,price,num_subscribers,num_reviews,num_lectures,level,content_duration,published_timestamp,subject
1070968,Ultimate Investment Banking Course,https://www.udemy.com/ultimate-investment-banking-course/,True,200,2147,23,51,All Levels,1.5,2017-01-18T20:58:58Z,Business Finance
1191504,How to create a routine Trading,https://www.udemy.com/how-to-create-a-trading-routine/,True,25,307,8,5,All Levels,0.13333333333333333,2017-05-01T18:50:43Z,Business Finance
863998,株式投資で本当のファンダメンタル分析ができるようになる,https://www.udemy.com/jun-sakai-trading-course3/,True,20,91,7,30,All Levels,2.0,2016-06-21T17:59:58Z,Business Finance
283780,Build a DCF Model from Scratch,https://www.udemy.com/build-a-dcf-model/,False,0,4653,395,5,All Levels,0.5166666666666666,2014-09-14T21:13:26Z,Business Finance
52118,"Multiply your returns using 'Value Investing"",https://www.udemy.com/multiply-your-returns-using-value-investing/,true,20,1942,19,63,All Levels,4.5 hours,2015-07-23T00:08:33Z
874284,Weekly Forex Analysis by Baraq FX""",https://www.udemy.com/weekly-forex-analysis-by-baraq-adnan/,False,0,3035,12,14,All Levels,1.5,2016-06-20T21:02:36Z,Business Finance
42640,Technical Analysis - A practical approach for trade entry,https://www.udemy.com/learn-technical-analysis/,True,60,454,52,15,Expert Level,2.0,2013-02-24T04:47:36Z,Business Finance
837322,Essentials of money value: Get a financial Life !,https://www.udemy.com/essentials-of-money-value/,True,20,0,0,20,All Levels,0.6166666666666667,2016-05-16T18:28:30Z,Business Finance
601912,TRADING: 5K CHALLENGE,https://www.udemy.com/trading_course/,True,55,375,10,19,Intermediate Level,1.0,2015-09-12T00:13:34Z,Business Finance
837322,Essentials of money value: Get a financial Life !,https://www.udemy.com/essentials-of-money-value/,True,20,0,0,20,All Levels,0.6166666666666667,2016-05-16T18:28:30Z,Business Finance
627332,Mutual Funds for Investors in Retirement Accounts,https://www.udemy.com/mutual-funds-for-investors-in-retirement-accounts/,True,20,0,0,0,All Levels,0.0,2015-12-17T05:38:38Z,Business Finance
218540,Aprende a tocar el violín desde cero,https://www.udemy.com/aprende-a-tocar-el-violin-desde-cero/,True,50,17,1,22,All Levels,2.5,2014-05-19T16:06:25Z,Musical Instruments
'''  # noqa: E501

RECORDS_SAMPLE = """\
,course_title,course_organization,course_Certificate_type,course_rating,course_difficulty,,students_enrolled
134,(ISC)² Systems Security Certified Practitioner (SSCP),(ISC)²,SPECIALIZATION,4.7,Beginner,5.3k,5300
47,Programming for Everybody (Getting Started with Python),University of Michigan,COURSE,4.8,Mixed,1.3m,1.3
3,Python for Everybody,University of Michigan,SPECIALIZATION,4.8,Beginner,1.5m,1.5
"""


# --- CSV reading ---------------------------------------------------------------------------------------------------


def test_csv_rows_counts_physical_lines_across_quoted_newlines() -> None:
    # The SSCP row (source line 2) holds an 18-line description; the next row starts 19 lines later.
    lines = [line for line, _ in csv_rows(COURSERA_SAMPLE)]
    assert lines == [2, 21, 23, 25, 27, 28, 30]
    # Real file endings are CRLF, inside quoted fields too: same lines, same values (modulo the "\r").
    crlf = [(line, row["course_title"]) for line, row in csv_rows(COURSERA_SAMPLE.replace("\n", "\r\n"))]
    assert crlf == [(line, row["course_title"]) for line, row in csv_rows(COURSERA_SAMPLE)]
    # A lone "\r" inside a quoted field (coursera_courses.csv has two) is no line break.
    assert [line for line, _ in csv_rows('a,b\r\n"x\ry",1\r\n"p\r\nq",2\r\nlast,3\r\n')] == [2, 3, 5]


def test_csv_rows_names_repeated_blank_headers_by_column() -> None:
    (_, row), *_ = csv_rows(RECORDS_SAMPLE)
    assert row[""] == "134" and row["_6"] == "5.3k" and row["students_enrolled"] == "5300"


def test_csv_rows_pads_short_rows_and_keeps_extra_cells() -> None:
    assert list(csv_rows("a,b\n1\n1,2,3\n\n4,5\n")) == [
        (2, {"a": "1", "b": ""}),
        (3, {"a": "1", "b": "2", "_2": "3"}),
        (5, {"a": "4", "b": "5"}),
    ]


def test_unreadable_csv_is_a_problem_at_its_line_not_a_traceback() -> None:
    header, row = UDEMY_SAMPLE.split("\n")[:2]
    text = f'{header}\n{row}\n"{"x" * 200_000}",oversized field\n{row}\n'  # beyond the csv module's field limit
    imported = read_udemy(text, info("udemy"), VOCABULARY)
    assert len(imported.records) == 1
    (problem,) = imported.problems
    assert problem.line == 3 and problem.message.startswith("unreadable CSV from here on:")


def test_read_source_keeps_lone_carriage_returns(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b'h\r\n"a\rb"\r\nnext\r\n')
    assert [line for line, _ in csv_rows(read_source(path))] == [2, 3]
    assert [line for line, _ in csv_rows(path.read_text())] == [2, 4]  # why read_source exists


# --- parsing helpers on the values found in the files ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2–3 hours per week", 2.5),  # en dash: every course_effort in edx_courses.csv
        ("10–20 hours per week", 15),
        ("1–2 hours per week", 1.5),
        ("9–10 hours per week", 9.5),
        ("2-3 hours per week", 2.5),  # hyphen
        ("1 hour per week", 1),
        ("6 hours/week", 6),
        ("90 minutes per week", 1.5),
    ],
)
def test_parse_hours_per_week(text: str, expected: float) -> None:
    assert parse_hours_per_week(text) == expected


@pytest.mark.parametrize("text", ["", "varies", "3 hours", "5–2 hours per week", "2–3 days per week"])
def test_parse_hours_per_week_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hours_per_week(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("6 Weeks", 6), ("1 Weeks", 1), ("18 Weeks", 18), ("2 months", 8.69), ("14 days", 2)],
)
def test_parse_weeks(text: str, expected: float) -> None:
    assert parse_weeks(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "Weeks", "self-paced"])
def test_parse_weeks_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_weeks(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1 - 4 Weeks", 2.5), ("1 - 3 Months", 8.69), ("3 - 6 Months", 19.5525), ("Less Than 2 Hours", 1.0)],
)
def test_parse_coursera_time_all_bands_of_the_snapshot(text: str, expected: float) -> None:
    assert parse_coursera_time(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "amount", "audit"),
    [
        ("FREE-Add a Verified Certificate for $49 USD", 49, True),
        ("FREE-Add a Verified Certificate for $49.99 USD", 49.99, True),
        ("FREE-Add a Verified Certificate for $299.70 USD", 299.7, True),
        ("FREE", 0, False),
        ("Free", 0, False),
        ("200", 200, False),  # udemy
        ("0", 0, False),
        ("$1,000", 1000, False),
    ],
)
def test_parse_price(text: str, amount: float, audit: bool) -> None:
    price = parse_price(text)
    assert (price.amount, price.currency, price.free_to_audit) == (amount, "USD", audit)


@pytest.mark.parametrize("text", ["", "TBA", "FREE-Add a Verified Certificate"])
def test_parse_price_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_price(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.5", 1.5),
        ("0.5166666666666666", 0.5166666666666666),
        ("39.0", 39),
        ("0.0", 0),
        ("4.5 hours", 4.5),  # the only unit-bearing values, all inside the five rows with broken quoting
        ("2 hours", 2),
        ("43 mins", 43 / 60),
    ],
)
def test_parse_video_hours(text: str, expected: float) -> None:
    assert parse_video_hours(text) == pytest.approx(expected)


def test_parse_video_hours_rejects() -> None:
    with pytest.raises(ValueError):
        parse_video_hours("about an hour")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5.3k", 5300), ("17k", 17000), ("3.2m", 3_200_000), ("6,706", 6706), ("5300", 5300), ("NA", None), ("", None)],
)
def test_parse_count(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Beginner", "beginner"),
        ("Mixed", "beginner"),
        ("Introductory", "beginner"),
        ("All Levels", "beginner"),
        ("Beginner Level", "beginner"),
        ("Intermediate", "intermediate"),
        ("Intermediate Level", "intermediate"),
        ("Advanced", "advanced"),
        ("Expert Level", "advanced"),
    ],
)
def test_map_level(text: str, expected: str) -> None:
    assert map_level(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("English", "en"),
        ("Español", "es"),
        ("Français", "fr"),
        ("Italiano", "it"),
        ("中文", "zh"),
        ("Português", "pt"),
        ("日本語", "ja"),
        ("اللغة العربية", "ar"),
        ("Deutsch", "de"),
    ],
)
def test_map_language_every_edx_value(text: str, expected: str) -> None:
    assert map_language(text) == expected


def test_map_language_rejects_unknown() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        map_language("Klingon")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Data Science for Business", "en"),
        ("Javascript ES6! A Complete Reference Guide to Javascript ES6", "en"),
        ("Aprende a tocar el violín desde cero", "es"),
        ("Como Investir em Ações para Iniciantes", "pt"),
        ("Les Fondamentaux de la Négociation", "fr"),
        ("Spielend Klavier lernen mit Freude und Erfolg", "de"),
        ("La costruzione del budget di una proposta comunitaria", "it"),
        ("株式投資で本当のファンダメンタル分析ができるようになる", "ja"),
        ("≪虎の巻≫証券取引の「税金のお悩み」解消", "ja"),  # kanji-heavy, but kana make it Japanese
        ("财务分析与估值建模入门", "zh"),
        ("المحاسبة للإداريين و غير المحاسبين", "ar"),
        ("Введение в Финансовую Инженерию", "ru"),
        ("Цифровий маркетинг і електронна комерція від Google", "uk"),
        ("캔바(Canva)로 SNS 콘텐츠 만들기", "ko"),
    ],
)
def test_guess_language_on_real_titles(title: str, expected: str) -> None:
    assert guess_language(title) == expected


def test_make_id_folds_accents_and_caps_length() -> None:
    assert make_id("udemy", "aprende-a-tocar-el-violín_desde_cero") == "udemy-aprende-a-tocar-el-violin-desde-cero"
    long = make_id("edx", "a" * 94 + "-b-cdef")
    assert long == "edx-" + "a" * 94 + "-b" and len(long) == 100
    assert make_id("edx", "x" * 95 + "-yyyy") == "edx-" + "x" * 95  # cut at 100, trailing "-" stripped
    with pytest.raises(ValueError):
        make_id("udemy", "株式")


def test_clip_cuts_at_a_sentence_end_not_a_list_number() -> None:
    text = "First sentence is here. " * 20 + "1. Register for the course 2. Gain access 3. Sit the exam"
    out = clip(text, limit=500)
    assert out.endswith("is here.") and len(out) <= 500
    assert clip("Short text.") == "Short text."
    assert clip("Lead in. " * 30 + "word " * 200).endswith("Lead in.")
    assert clip("x" * 700).endswith("…")
    assert clip("A whole first sentence here. The list follows:") == "A whole first sentence here."


def test_coursera_description_and_listed_price() -> None:
    raw = "About this Course\nThis four-week course titled AI and Law explores the way in which"
    assert coursera_description(raw) == "This four-week course titled AI and Law explores the way in which"
    assert listed_price("the complete online self-paced program for only $1,000 – a $200 savings") == 1000
    assert listed_price("a median entry-level salary of $92,000.¹") is None
    assert listed_price("grant #1H79FG000023 totaling $249,900") is None


def test_parse_list_literal() -> None:
    assert parse_list_literal("['Web API', 'C# programming', 'Model–View–Controller (MVC)']") == [
        "Web API",
        "C# programming",
        "Model–View–Controller (MVC)",
    ]
    assert parse_list_literal("[]") == []
    with pytest.raises(ValueError):
        parse_list_literal("['unterminated")


# --- skills --------------------------------------------------------------------------------------------------------


def test_extract_skills_longest_first_word_boundaries_order_of_appearance() -> None:
    vocabulary = ["java", "javascript", "learning", "machine learning", "sql", "c++", ".net", "node.js", "excel"]
    text = "Use SQL and JavaScript with Node.js, then machine learning; C++ and .NET. Learning is fun."
    assert extract_skills(text, vocabulary) == ["sql", "javascript", "node.js", "machine learning", "c++", ".net"]
    # "learning" is a word-part of the chosen "machine learning" and is not added, even where it stands alone.
    assert extract_skills(text, vocabulary, limit=2) == ["javascript", "machine learning"]  # the longest two
    assert extract_skills("Excellent networking", vocabulary) == []  # "excel", "net" need word boundaries
    assert extract_skills("asp.net core", vocabulary) == []  # ".net" must start a word
    assert extract_skills("Problem-solving", ["problem solving"]) == ["problem solving"]


def test_extract_skills_is_deterministic() -> None:
    vocabulary = ["b c", "a b", "c d"]
    assert extract_skills("a b c d", vocabulary) == extract_skills("a b c d", list(reversed(vocabulary)))


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Introduction to Python: Absolute Beginner", "python"),
        ("Analyze Network Traffic with TCPDump", "analyze network traffic with tcpdump"),
        ("Share Data Through the Art of Visualization", "share data"),
        ("Alto Saxophone Lessons For Beginners", "alto saxophone lessons"),
        ("Introducción a la gravedad cuántica de lazos", "gravedad cuántica de lazos"),
        ("Introduction to the Internet of Things", "internet of things"),
    ],
)
def test_title_skills_fallback(title: str, expected: str) -> None:
    assert title_skills(title) == [expected]


# --- Coursera ------------------------------------------------------------------------------------------------------


def test_coursera_sample_rows_map_to_exact_records() -> None:
    imported = read_coursera(COURSERA_SAMPLE, info("coursera"), VOCABULARY)
    assert imported.problems == ()
    assert_valid(imported, "coursera_courses.csv")
    records = by_id(imported)
    assert list(records) == [
        "coursera-sscp-training",
        "coursera-analyze-network-traffic-with-tcpdump",
        "coursera-finanzas-personales",
        "coursera-home-care",
        "coursera-investment-management-python-machine-learning",
        "coursera-python",
        "coursera-python-specialization",  # shares "python" with /learn/python: gets its kind
    ]

    sscp = records["coursera-sscp-training"]
    assert {k: sscp[k] for k in FIELD_NAMES if k != "description"} == {
        "id": "coursera-sscp-training",
        "title": "(ISC)² Systems Security Certified Practitioner (SSCP)",
        "provider": "ISC2",
        "url": "https://www.coursera.org/specializations/sscp-training",
        # source skills first, lower-cased, duplicates ("Risk Management" x3) dropped, then the vocabulary
        "skills": [
            "security software",
            "risk management",
            "access control",
            "incident detection and response",
            "cloud computing security",
            "wireless security",
            "asset",
            "learning",
        ],
        "credential_type": "course-series",
        "level": "beginner",
        "hours": 97.8,
        "weeks": 19.6,
        "hours_per_week": 5,
        "cost": 1000,  # stated in the description: "for only $1,000"
        "currency": "USD",
        "format": "online",
        "language": "en",
        "earn_by": ["assignments", "assessment"],
        "prerequisites": [],
        "alignments": [],
        "source": "https://github.com/vikas8894/coursera_courses_data/blob/fe5e3a13ec8c8cb7fc0db193aa1abaf694a44366/"
        "coursera_courses.csv#L2",
        "as_of": "2023-11-08",
    }
    assert sscp["description"].startswith("Pursue better IT security job opportunities and prove knowledge")
    assert sscp["description"].endswith(
        "when you get all domains bundled together. Hours estimated from the listed duration (3 - 6 Months, about "
        "19.6 weeks) at about 5 h a week. Price USD 1000 as stated in the description."
    )
    assert "\n" not in sscp["description"]

    project = records["coursera-analyze-network-traffic-with-tcpdump"]
    assert (project["credential_type"], project["level"], project["earn_by"]) == (
        "certificate",
        "intermediate",
        ["portfolio"],
    )
    assert (project["hours"], project["weeks"], project["hours_per_week"], project["cost"]) == (1.5, 1, 1.5, 10)
    assert project["provider"] == "Coursera Project Network"
    assert "guided projects typically cost about USD 10, so the cost shown is an estimate" in project["description"]
    assert project["skills"] == ["analyze network traffic with tcpdump"]  # "[]" in the source, nothing in vocabulary
    assert project["source"].endswith("#L21")  # its line in the sample (line 532 of the file)

    spanish = records["coursera-finanzas-personales"]
    assert (spanish["language"], spanish["level"], spanish["cost"], spanish["hours"], spanish["weeks"]) == (
        "es",
        "beginner",
        49,
        34.8,
        8.7,
    )
    assert spanish["description"].endswith(
        "Level listed as Mixed. Language inferred from the title and description (the snapshot lists none)."
    )

    care = records["coursera-home-care"]
    assert (care["credential_type"], care["hours"], care["weeks"], care["hours_per_week"]) == (
        "certificate",
        78.2,
        19.6,
        4,
    )
    assert "a Coursera course certificate typically costs about USD 49" in care["description"]

    no_description = records["coursera-investment-management-python-machine-learning"]
    assert no_description["description"].startswith(
        "Write custom Python code and use existing Python libraries to build and analyse efficient portfolio "
        "strategies. Write custom"  # built from course_summary, as the description is empty
    )
    assert no_description["cost"] == 245  # 49 x 5 started months of a 3 - 6 month specialization
    assert "(USD 245 for 5 months) is an estimate" in no_description["description"]

    assert records["coursera-python"]["url"] == "https://www.coursera.org/learn/python"
    assert records["coursera-python-specialization"]["url"] == "https://www.coursera.org/specializations/python"


def test_coursera_crlf_text_gives_the_same_records() -> None:
    lf = read_coursera(COURSERA_SAMPLE, info("coursera"), VOCABULARY)
    crlf = read_coursera(COURSERA_SAMPLE.replace("\n", "\r\n"), info("coursera"), VOCABULARY)
    assert crlf == lf


def test_coursera_bad_rows_are_reported_with_their_line() -> None:
    lines = COURSERA_SAMPLE.split("\n")
    header = lines[0]
    rows = "\n".join(lines[20:22])  # the guided project row (source line 532), two physical lines
    assert rows.startswith("508,Analyze Network Traffic")
    text = "\n".join(
        [
            header,
            rows.replace("Analyze Network Traffic with TCPDump,", ",", 1),  # no title
            rows.replace("https://www.coursera.org/projects/", "www.coursera.org/projects/", 1),  # no scheme
            rows.replace("https://", "http://", 1),  # upgraded, fine
            rows.replace("Less Than 2 Hours", "Self-paced", 1),  # unreadable duration
            rows.replace(",Guided Project,", ",Degree,", 1),  # unknown type
            rows,  # same id again
        ]
    )
    imported = read_coursera(text, info("coursera"), VOCABULARY)
    assert [str(p) for p in imported.problems] == [
        "coursera_courses.csv:2: missing course_title",
        "coursera_courses.csv:4: no usable URL: 'www.coursera.org/projects/analyze-network-traffic-with-tcpdump'",
        "coursera_courses.csv:8: unreadable course length: 'Self-paced'",
        "coursera_courses.csv:10: unknown course_certificate_type: 'Degree'",
        "coursera_courses.csv:12: id 'coursera-analyze-network-traffic-with-tcpdump' is a duplicate of line 6",
    ]
    (record,) = imported.records
    assert record["url"] == "https://www.coursera.org/projects/analyze-network-traffic-with-tcpdump"
    assert record["source"].endswith("#L6")
    assert imported.problems[0] == RowProblem("coursera_courses.csv", 2, "missing course_title")


def test_coursera_records_are_enrichment_rows() -> None:
    rows = read_coursera_records(RECORDS_SAMPLE, info("coursera-records"))
    facts = [(r.line, r.title, r.organization, r.certificate_type, r.difficulty, r.rating, r.enrolled) for r in rows]
    assert facts == [
        (2, "(ISC)² Systems Security Certified Practitioner (SSCP)", "(ISC)²", "Specialization", "Beginner", 4.7, 5300),
        # students_enrolled says 1.3 here; the unnamed "1.3m" column is right
        (3, "Programming for Everybody (Getting Started with Python)", "University of Michigan", "Course", "Mixed", 4.8,
         1_300_000),
        (4, "Python for Everybody", "University of Michigan", "Specialization", "Beginner", 4.8, 1_500_000),
    ]  # fmt: skip
    assert rows[1].credential_type == "certificate" and rows[2].credential_type == "course-series"
    assert rows[0].source == (
        "https://github.com/umertahir-dev/Coursera_records/blob/4a96909f7414f8d3be1e3a7bdc9f672fce0b2b18/Coursera.csv#L2"
    )
    listings = {title_key(r["title"]) for r in read_coursera(COURSERA_SAMPLE, info("coursera"), ()).records}
    assert [r.key in listings for r in rows] == [True, True, True]
    assert title_key("A Crash Course in Causality:  Inferring") == title_key("a crash course in causality inferring")


# --- edX -----------------------------------------------------------------------------------------------------------


def test_edx_sample_rows_map_to_exact_records() -> None:
    imported = read_edx(EDX_SAMPLE, info("edx"), VOCABULARY)
    assert [str(p) for p in imported.problems] == [
        "edx_courses.csv:9: id 'edx-introduction-to-probability' is a duplicate of line 8"  # lines 202 and 317
    ]
    assert_valid(imported, "edx_courses.csv")
    records = by_id(imported)
    first = records["edx-how-to-learn-online"]
    assert {k: first[k] for k in FIELD_NAMES if k != "description"} == {
        "id": "edx-how-to-learn-online",
        "title": "How to Learn Online",
        "provider": "edX",
        "url": "https://www.edx.org/course/how-to-learn-online",
        "skills": ["learning"],
        "credential_type": "certificate",
        "level": "beginner",
        "hours": 5,
        "weeks": 2,
        "hours_per_week": 2.5,
        "cost": 49,
        "currency": "USD",
        "format": "online",
        "language": "en",
        "earn_by": ["assignments", "assessment"],
        "prerequisites": [],
        "alignments": [],
        "source": "https://github.com/KopecT/udemy-vs-edx/blob/fb76bf4c2a3a4edd2901751246fa61f12e0e3b64/"
        "edx_courses.csv#L2",
        "as_of": "2023-03-29",
    }
    assert first["description"].startswith(
        "Learn essential strategies for successful online learning. Designed for those who are new to elearning,"
    )
    assert first["description"].endswith(
        "Self-paced on your time. Free to audit; the verified certificate costs USD 49. "
        "Hours estimated from the listed effort (2–3 hours per week, about 2.5 h a week) over 2 Weeks."
    )
    # summary "NA", no description: a factual sentence instead
    assert records["edx-cs50-for-lawyers"]["description"].startswith(
        "An edX course from Harvard University in Computer Science. Self-paced"
    )
    japanese = records["edx-steps-in-japanese-for-beginners1-part1-2"]  # multi-line description
    assert "・To say greetings ・To introduce yourself ・To ask about food ・To order" in japanese["description"]
    assert (japanese["hours"], japanese["weeks"], japanese["hours_per_week"]) == (20, 5, 4)
    probability = records["edx-introduction-to-probability"]
    assert (probability["level"], probability["hours"], probability["cost"]) == ("intermediate", 75, 99)
    assert probability["skills"] == ["probability", "data analysis", "statistics", "finance"]
    ios = records["edx-build-your-very-first-ios-app"]
    assert "Instructor-led on a course schedule." in ios["description"]
    assert (ios["skills"], ios["hours"], ios["cost"]) == (["ios", "swift"], 72, 149)
    assert "edx-ai-chatbots-without-programming" in records  # URL path "AI-chatbots-without-programming"
    spanish = records["edx-introduccion-a-ciencias-de-datos-y-estadistica-basica-para-negocios"]
    assert (spanish["language"], spanish["level"], spanish["cost"], spanish["hours"]) == ("es", "advanced", 50, 26)
    # glued sentences from the scrape ("competencias:Por") are split again
    assert "competencias: Por medio de la estadística" in spanish["description"]


def test_edx_bad_rows_are_reported_with_their_line() -> None:
    header, row = EDX_SAMPLE.split("\n")[:2]
    text = "\n".join(
        [
            header,
            row.replace("2–3 hours per week", "varies"),
            row.replace(",English,English,", ",Klingon,English,"),
            row.replace("FREE-Add a Verified Certificate for $49 USD", "ask us"),
            row.replace("How to Learn Online,", ",", 1),
            row.replace("https://www.edx.org/course/how-to-learn-online", "n/a"),
        ]
    )
    imported = read_edx(text, info("edx"), VOCABULARY)
    assert imported.records == ()
    assert [str(p) for p in imported.problems] == [
        "edx_courses.csv:2: unreadable weekly effort: 'varies'",
        "edx_courses.csv:3: unknown language: 'Klingon'",
        "edx_courses.csv:4: unreadable price: 'ask us'",
        "edx_courses.csv:5: missing title",
        "edx_courses.csv:6: no usable URL: 'n/a'",
    ]


# --- Udemy ---------------------------------------------------------------------------------------------------------


def test_udemy_sample_rows_map_to_exact_records() -> None:
    imported = read_udemy(UDEMY_SAMPLE, info("udemy"), VOCABULARY)
    assert [str(p) for p in imported.problems] == [
        # source lines 293-294: 'Value Investing"" opens a quote that swallows the next line
        "udemy_courses.csv:6: course_title runs into the next line (unbalanced quote in the source); row skipped",
        "udemy_courses.csv:11: id 'udemy-essentials-of-money-value' is a duplicate of line 9",  # lines 456 and 790
        "udemy_courses.csv:12: no video listed (content_duration '0.0')",  # line 895: 0 lectures, 0 hours
    ]
    assert_valid(imported, "udemy_courses.csv")
    records = by_id(imported)
    first = records["udemy-ultimate-investment-banking-course"]
    assert first == {
        "id": "udemy-ultimate-investment-banking-course",
        "title": "Ultimate Investment Banking Course",
        "provider": "Udemy",
        "url": "https://www.udemy.com/ultimate-investment-banking-course/",
        "description": "A Udemy video course in Business Finance: 51 lectures, 1.5 hours of video, for all levels. "
        "Published 2017-01-18. Listed at USD 200 in this snapshot. "
        "Hours are the video length; a pace of about 1.5 h a week is assumed.",
        "skills": ["business finance"],
        "credential_type": "certificate",
        "level": "beginner",
        "hours": 1.5,
        "weeks": 1,
        "hours_per_week": 1.5,
        "cost": 200,
        "currency": "USD",
        "format": "online",
        "language": "en",
        "earn_by": ["lectures-seminars"],
        "prerequisites": [],
        "alignments": [],
        "source": "https://github.com/KopecT/udemy-vs-edx/blob/fb76bf4c2a3a4edd2901751246fa61f12e0e3b64/"
        "udemy_courses.csv#L2",
        "as_of": "2023-03-29",
    }
    short = records["udemy-how-to-create-a-trading-routine"]  # 0.1333 h of video
    assert (short["hours"], short["weeks"], short["hours_per_week"]) == (0.5, 1, 0.5)
    assert "Under half an hour of video, counted as 0.5 h." in short["description"]
    free = records["udemy-build-a-dcf-model"]  # is_paid False, price 0
    assert (free["cost"], free["hours"]) == (0, 0.5)
    assert "Free in this snapshot." in free["description"]
    after_broken = records["udemy-learn-technical-analysis"]  # the row right after the broken one: line 295
    assert after_broken["source"].endswith("#L8") and after_broken["level"] == "advanced"  # "Expert Level"
    assert records["udemy-trading-course"]["level"] == "intermediate"  # URL slug "trading_course"
    assert "1 hour of video" in records["udemy-trading-course"]["description"]
    assert records["udemy-jun-sakai-trading-course3"]["language"] == "ja"
    violin = records["udemy-aprende-a-tocar-el-violin-desde-cero"]
    assert (violin["language"], violin["skills"]) == ("es", ["musical instruments"])


def test_udemy_long_courses_spread_over_weeks() -> None:
    header = UDEMY_SAMPLE.split("\n")[0]
    row = "1113822,Complete GST Course & Certification - Grow Your CA Practice,https://www.udemy.com/goods-and-services-tax/,True,75,2792,923,274,All Levels,39.0,2017-03-09T16:34:20Z,Business Finance"  # noqa: E501 (source line 3)
    (record,) = read_udemy(f"{header}\n{row}\n", info("udemy"), VOCABULARY).records
    assert (record["hours"], record["weeks"], record["hours_per_week"], record["cost"]) == (39, 13, 3, 75)


def test_udemy_bad_rows_are_reported_with_their_line() -> None:
    header, row = UDEMY_SAMPLE.split("\n")[:2]
    text = "\n".join(
        [
            header,
            row.replace(",True,200,", ",True,TBA,"),
            row.replace(",1.5,2017", ",a while,2017"),
            row.replace(",All Levels,", ",Guru Level,"),
            row.replace("https://www.udemy.com/ultimate-investment-banking-course/", ""),
            row.replace(",True,", ",maybe,"),
        ]
    )
    imported = read_udemy(text, info("udemy"), VOCABULARY)
    assert imported.records == ()
    assert [str(p) for p in imported.problems] == [
        "udemy_courses.csv:2: unreadable price: 'TBA'",
        "udemy_courses.csv:3: unreadable video length: 'a while'",
        "udemy_courses.csv:4: unknown level: 'Guru Level'",
        "udemy_courses.csv:5: no usable URL: ''",
        "udemy_courses.csv:6: unreadable is_paid: 'maybe'",
    ]


# --- whole snapshots -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def whole() -> dict[str, Imported]:
    return {
        "coursera": read_coursera(read_source(SOURCES / "coursera_courses.csv"), info("coursera"), VOCABULARY),
        "edx": read_edx(read_source(SOURCES / "edx_courses.csv"), info("edx"), VOCABULARY),
        "udemy": read_udemy(read_source(SOURCES / "udemy_courses.csv"), info("udemy"), VOCABULARY),
    }


@pytest.mark.parametrize(("name", "at_least"), [("coursera", 950), ("edx", 900), ("udemy", 3500)])
def test_whole_snapshot_imports(whole: dict[str, Imported], name: str, at_least: int) -> None:
    imported = whole[name]
    file = info(name).path
    assert len(imported.records) >= at_least
    assert all(p.file == file and p.line > 1 and p.message for p in imported.problems)
    assert_valid(imported, file)
    ids = [r["id"] for r in imported.records]
    assert len(ids) == len(set(ids))
    prefix = info(name).row_url(0)[: -len("0")]
    assert all(r["source"].startswith(prefix) and r["skills"] for r in imported.records)


def test_whole_snapshot_lines_point_at_the_row(whole: dict[str, Imported]) -> None:
    """Spot checks after the two lone "\\r" (lines 1695 and 2565) and after the broken udemy rows."""
    coursera = by_id(whole["coursera"])
    assert coursera["coursera-python"]["source"].endswith("#L6652")
    assert coursera["coursera-python-specialization"]["source"].endswith("#L6881")
    assert coursera["coursera-gis-specialization"]["source"].endswith("#L3291")
    udemy = whole["udemy"]
    assert {p.line for p in udemy.problems if "unbalanced quote" in p.message} == {293, 1878, 2040, 2174, 2192}
    assert by_id(udemy)["udemy-learn-technical-analysis"]["source"].endswith("#L295")
    assert [p.line for p in whole["edx"].problems] == [317]
    lines = read_source(SOURCES / "udemy_courses.csv").split("\n")
    for record in udemy.records[:: len(udemy.records) // 20]:
        line = int(record["source"].rsplit("#L", 1)[1])
        assert record["url"] in lines[line - 1]


def test_whole_coursera_records_file() -> None:
    rows = read_coursera_records(read_source(SOURCES / "coursera_records.csv"), info("coursera-records"))
    assert len(rows) == 891
    assert all(r.title and r.line > 1 and r.enrolled for r in rows)
    assert {r.certificate_type for r in rows} == {"Course", "Specialization", "Professional Certificate"}
